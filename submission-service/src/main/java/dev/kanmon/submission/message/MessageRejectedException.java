package dev.kanmon.submission.message;

import dev.kanmon.core.smtp.SmtpReply;

/** Why a message was not accepted, as the precise SMTP reply to send. */
public final class MessageRejectedException extends RuntimeException {

    private final transient SmtpReply reply;

    public MessageRejectedException(SmtpReply reply, Throwable cause) {
        super(reply.toString(), cause);
        this.reply = reply;
    }

    public MessageRejectedException(SmtpReply reply) {
        this(reply, null);
    }

    public SmtpReply reply() {
        return reply;
    }
}
