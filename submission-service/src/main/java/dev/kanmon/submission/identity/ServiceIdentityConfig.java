package dev.kanmon.submission.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The submission-service's own identity towards the services it calls (auth-service {@code /internal/v1/*},
 * dnsbl-service {@code /internal/v1/check}): a Keycloak confidential client whose service account holds the client
 * role {@code kanmon-internal}/{@code internal-caller}. Its access token (OAuth 2.0 client credentials grant) is sent
 * as {@code Authorization: Bearer} on every internal call and reused until shortly before it expires
 * (docs/service-identity.md).
 */
@ConfigMapping(prefix = "kanmon.submission.identity")
public interface ServiceIdentityConfig {

    /** Token endpoint of the realm ({@code .../realms/<realm>/protocol/openid-connect/token}). */
    @WithDefault("http://keycloak:8080/realms/kanmon/protocol/openid-connect/token")
    String tokenUrl();

    /** Client id of the submission-service's confidential client. */
    @WithDefault("kanmon-submission")
    String clientId();

    /** Secret of that client (env {@code KANMON_SUBMISSION_IDENTITY_CLIENT_SECRET}); required. */
    String clientSecret();

    /**
     * A token is renewed in the background once less than this is left of its lifetime (at most half of the
     * lifetime), so that calls never wait for Keycloak while a token is valid.
     */
    @WithDefault("30s")
    Duration refreshBefore();

    /** Deadline of one token request; a call that has no valid token then fails like an unreachable callee. */
    @WithDefault("5s")
    Duration timeout();

    /**
     * After a failed token request, calls that have no valid token fail at once for this long instead of each asking
     * Keycloak again (a Keycloak outage must not turn every SMTP AUTH into a token request).
     */
    @WithDefault("1s")
    Duration failureBackoff();
}
