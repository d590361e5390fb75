package dev.kanmon.submission.auth;

import dev.kanmon.core.smtp.SmtpReply;

/** What a {@link SaslExchange} answers to one client response. */
public sealed interface SaslStep {

    /** Send {@code 334 base64(challenge)} and wait for the next response. */
    record Challenge(byte[] data) implements SaslStep {
    }

    /** Authenticated: reply {@code 235 2.7.0}; RFC 4954 additional data (SCRAM's server-final) goes first. */
    record Success(AuthenticatedUser user, byte[] additionalData) implements SaslStep {
    }

    /**
     * Not authenticated. The reply is precise: {@code 535 5.7.8} bad credentials, {@code 454 4.7.0} temporary
     * (auth-service or Keycloak unreachable), {@code 501 5.5.2} malformed response, {@code 534 5.7.9}
     * mechanism too weak, {@code 421 4.7.0}/{@code 454 4.7.0} banned source.
     */
    record Failure(SmtpReply reply) implements SaslStep {
    }
}
