package dev.kanmon.keycloak;

/**
 * One change the relay must learn about: record value on {@code relay.identity.v1} (JSON), keyed by {@link #key()}.
 *
 * @param realm  realm name
 * @param userId the Keycloak user id, or {@link #ALL_USERS} when the change may concern any user (group
 *               attributes, realm-wide logout, a session revoked by id)
 * @param change what happened: a user event type ({@code UPDATE_PASSWORD}) or {@code ADMIN_<resource>_<operation>}
 * @param time   epoch milliseconds of the event
 */
public record IdentityChange(String realm, String userId, String change, long time) {

    /** User id of changes that concern every user of the realm. */
    public static final String ALL_USERS = "*";

    /** Kafka record key: changes of one user stay in order on one partition. */
    public String key() {
        return userId;
    }
}
