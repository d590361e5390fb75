package dev.kanmon.submission.auth.client;

import dev.kanmon.core.smtp.SmtpReply;

/**
 * The auth-service's answer to a SCRAM client-first message: the user's salt and iteration count, or a reply
 * when it cannot go on (banned source, auth-service unreachable).
 */
public record ScramParameters(byte[] salt, int iterations, SmtpReply reply) {

    public boolean usable() {
        return reply == null;
    }
}
