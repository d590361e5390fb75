package dev.kanmon.auth.keycloak;

import dev.kanmon.auth.credential.Identity;

/** What Keycloak's password grant said. */
public sealed interface GrantResult {

    /** Password correct, user enabled. */
    record Granted(Identity identity) implements GrantResult {
    }

    /** {@code invalid_grant}: wrong password, unknown user, disabled or locked account. */
    record Rejected(String reason) implements GrantResult {
    }

    /** Keycloak could not decide: unreachable, timeout, 5xx, or our client misconfigured. */
    record Unavailable(String reason) implements GrantResult {
    }
}
