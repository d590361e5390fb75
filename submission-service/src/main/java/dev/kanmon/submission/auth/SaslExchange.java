package dev.kanmon.submission.auth;

import io.vertx.core.Future;

/**
 * One running SASL exchange. The AUTH command handler does the base64 framing, the {@code 334} challenges
 * and the {@code *} cancellation; the exchange sees decoded bytes only. It is driven on the connection's
 * event loop and must not block: anything slow (Keycloak, the auth-service) is returned as a future.
 */
public interface SaslExchange {

    /**
     * Feeds the next client response.
     *
     * @param response the decoded client response; for the first call the initial response of
     *                 {@code AUTH mech initial-response} ({@code =} decodes to an empty array), or null when
     *                 the client sent none and the mechanism must speak first
     * @return the next step: another challenge, success or failure
     */
    Future<SaslStep> evaluate(byte[] response);
}
