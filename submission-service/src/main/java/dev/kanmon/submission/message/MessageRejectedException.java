package dev.kanmon.submission.message;

import dev.kanmon.core.smtp.SmtpReply;

/** Why a message was not accepted, as the precise SMTP reply to send. */
public final class MessageRejectedException extends RuntimeException {

    private final transient SmtpReply reply;
    private final String reason;

    public MessageRejectedException(SmtpReply reply, String reason, Throwable cause) {
        super(reply.toString(), cause);
        this.reply = reply;
        this.reason = reason;
    }

    public MessageRejectedException(SmtpReply reply, String reason) {
        this(reply, reason, null);
    }

    public SmtpReply reply() {
        return reply;
    }

    /** Label of the {@code kanmon.submission.messages.rejected} counter. */
    public String reason() {
        return reason;
    }
}
