package dev.kanmon.ctl.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * What {@code kanmonctl login} keeps between runs (file {@code session.json}, mode 0600).
 *
 * @param clientId         the Keycloak client the tokens were issued to
 * @param clientSecret     only for client-credentials logins, so that an expired token is simply fetched again
 * @param user             the token's {@code preferred_username}
 * @param accessToken      the bearer token
 * @param expiresAt        when it expires
 * @param refreshToken     the device login's refresh token, or null
 * @param refreshExpiresAt when that expires, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Session(String clientId, String clientSecret, String user, String accessToken, Instant expiresAt,
        String refreshToken, Instant refreshExpiresAt) {
}
