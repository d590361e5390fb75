package dev.kanmon.submission.auth;

import java.util.List;

/**
 * The identity established by SMTP AUTH.
 *
 * @param username  the Keycloak user name (what the Received header and the queue record name)
 * @param addresses the envelope senders this user may use: primary address first, then registered aliases
 * @param mechanism the SASL mechanism that succeeded
 */
public record AuthenticatedUser(String username, List<String> addresses, String mechanism) {

    public AuthenticatedUser {
        addresses = List.copyOf(addresses);
    }
}
