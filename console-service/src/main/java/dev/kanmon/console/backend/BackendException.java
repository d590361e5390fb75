package dev.kanmon.console.backend;

/** An API refused or failed a call; the page shows the reason to the operator. */
public final class BackendException extends RuntimeException {

    private final int status;

    public BackendException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status, 0 when the service could not be reached. */
    public int status() {
        return status;
    }
}
