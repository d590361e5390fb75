package dev.kanmon.submission.auth;

import dev.kanmon.submission.quota.QuotaVerdict;
import java.util.List;

/**
 * The identity established by SMTP AUTH.
 *
 * @param username  the Keycloak user name (what the Received header and the queue record name)
 * @param addresses the envelope senders this user may use: primary address first, then registered aliases
 * @param mechanism the SASL mechanism that succeeded
 * @param admission the quota ledger's admission obtained with the credential check, or null when the session must
 *                  still ask the ledger
 * @param userId    the Keycloak user id when the auth-service sent it, else null: identity changes in Keycloak
 *                  (topic {@code relay.identity.v1}, keyed by user id) end the sessions of this user
 */
public record AuthenticatedUser(String username, List<String> addresses, String mechanism, QuotaVerdict admission,
        String userId) {

    /**
     * The {@link #mechanism()} of a session that did not authenticate but runs as the user whose login at the ISP
     * opened a login-before-SMTP window for the client address (docs/authentication.md).
     */
    public static final String LOGIN_WINDOW = "login-before-SMTP";

    public AuthenticatedUser {
        addresses = List.copyOf(addresses);
    }

    public AuthenticatedUser(String username, List<String> addresses, String mechanism, QuotaVerdict admission) {
        this(username, addresses, mechanism, admission, null);
    }

    public AuthenticatedUser(String username, List<String> addresses, String mechanism) {
        this(username, addresses, mechanism, null, null);
    }

    /** Whether the session runs as this user by a login window, not by SMTP AUTH. */
    public boolean byLoginWindow() {
        return LOGIN_WINDOW.equals(mechanism);
    }
}
