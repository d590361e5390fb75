package dev.kanmon.core.smtp;

/** An ESMTP parameter the grammar or the server refuses, with the reply that says which and why. */
public final class EsmtpParameterException extends Exception {

    private final transient SmtpReply reply;

    public EsmtpParameterException(SmtpReply reply) {
        // No stack trace: thrown for client input, so it must be cheap.
        super(reply.toString(), null, false, false);
        this.reply = reply;
    }

    /** {@code 501 5.5.4 Bad X value} or {@code 555 5.5.4 Unsupported option: X}. */
    public SmtpReply reply() {
        return reply;
    }

    static EsmtpParameterException bad(String keyword) {
        return new EsmtpParameterException(SmtpReply.of(501, EnhancedCode.INVALID_ARGUMENTS, "Bad " + keyword
                + " value"));
    }

    static EsmtpParameterException unsupported(String keyword) {
        return new EsmtpParameterException(SmtpReply.of(555, EnhancedCode.INVALID_ARGUMENTS, "Unsupported option: "
                + keyword));
    }
}
