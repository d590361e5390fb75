package dev.kanmon.auth.keycloak;

import dev.kanmon.auth.credential.Identity;

/** A user as the Keycloak admin API shows it. */
public record DirectoryUser(Identity identity, boolean enabled) {
}
