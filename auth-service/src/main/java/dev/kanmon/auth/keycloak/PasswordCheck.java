package dev.kanmon.auth.keycloak;

import dev.kanmon.auth.credential.Identity;

/** What the Kanmon Keycloak extension's credential check ({@code /realms/{realm}/kanmon/credentials/verify}) said. */
public sealed interface PasswordCheck {

    /** Password right, user enabled; {@code secondFactor}: the user also has OTP or WebAuthn configured. */
    record Valid(Identity identity, boolean secondFactor) implements PasswordCheck {
    }

    /** Unknown user or wrong password (counted by Keycloak's brute-force detection). */
    record Invalid() implements PasswordCheck {
    }

    /** Password right, but the user is disabled. */
    record Disabled(String userId) implements PasswordCheck {
    }

    /** Keycloak's brute-force detection holds the user; the password was not checked. */
    record Locked(String userId) implements PasswordCheck {
    }

    /** Keycloak could not decide: unreachable, timeout, 5xx, or our service account misconfigured. */
    record Unavailable(String reason) implements PasswordCheck {
    }
}
