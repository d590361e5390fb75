package dev.kanmon.keycloak;

/**
 * Who may call the credential check: a bearer token of the realm whose user (in practice the auth-service's
 * service account) holds this client role.
 *
 * @param clientId client that defines the role
 * @param role     client role required
 */
record CallerPolicy(String clientId, String role) {
}
