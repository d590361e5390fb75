package dev.kanmon.delivery.smtp;

/** The peer broke the SMTP reply syntax; the connection cannot be trusted any further. */
public final class SmtpProtocolException extends Exception {

    public SmtpProtocolException(String message) {
        super(message);
    }
}
