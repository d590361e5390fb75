package dev.kanmon.core.smtp;

/** Input that does not match the RFC 5321 grammar; the message says what was wrong, for the reply text. */
public final class SmtpSyntaxException extends Exception {

    public SmtpSyntaxException(String message) {
        // No stack trace: thrown for every malformed client line, so it must be cheap.
        super(message, null, false, false);
    }
}
