package dev.kanmon.delivery.smtp;

/**
 * A reused connection turned out to be dead before the server answered MAIL: nothing was transacted, so the
 * message is tried again on a fresh connection.
 */
public final class StaleConnectionException extends Exception {

    public StaleConnectionException(Throwable cause) {
        super(cause.getMessage(), cause, false, false);
    }
}
