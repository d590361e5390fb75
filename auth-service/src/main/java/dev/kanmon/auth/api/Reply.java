package dev.kanmon.auth.api;

import dev.kanmon.core.smtp.SmtpReply;

/** The SMTP reply the submission-service sends verbatim. */
public record Reply(int code, String enhanced, String text) {

    static Reply of(SmtpReply reply) {
        return reply == null ? null : new Reply(reply.code(), reply.enhanced(), String.join(" ", reply.lines()));
    }
}
