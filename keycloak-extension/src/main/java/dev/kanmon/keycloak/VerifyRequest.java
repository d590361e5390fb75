package dev.kanmon.keycloak;

/**
 * Body of {@code POST /realms/{realm}/kanmon/credentials/verify}.
 *
 * @param username Keycloak user name or e-mail address (e-mail only if the realm allows login with e-mail)
 * @param password the password to check
 */
public record VerifyRequest(String username, String password) {
}
