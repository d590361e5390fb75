package dev.kanmon.keycloak;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One change the relay must learn about: record value on {@code relay.identity.v1} (JSON), keyed by {@link #key()}.
 *
 * @param realm  realm name
 * @param userId the Keycloak user id, or {@link #ALL_USERS} when the change may concern any user (group
 *               attributes, realm-wide logout, a session revoked by id)
 * @param change what happened: a user event type ({@code UPDATE_PASSWORD}) or {@code ADMIN_<resource>_<operation>}
 * @param time   epoch milliseconds of the event
 * @param username  only on a {@link #LOGIN}: the user name (the relay's login window is kept by user name)
 * @param ipAddress only on a {@link #LOGIN}: the client address Keycloak saw
 */
public record IdentityChange(String realm, String userId, String change, long time,
        @JsonInclude(JsonInclude.Include.NON_NULL) String username,
        @JsonInclude(JsonInclude.Include.NON_NULL) String ipAddress) {

    /**
     * A successful login at Keycloak, published only with the SPI option {@code publish-logins=true}: it opens the
     * relay's login-before-SMTP window for the client address (docs/authentication.md). Not a change of the user.
     */
    public static final String LOGIN = "LOGIN";

    /** A change of the user (no login details). */
    public IdentityChange(String realm, String userId, String change, long time) {
        this(realm, userId, change, time, null, null);
    }

    /** User id of changes that concern every user of the realm. */
    public static final String ALL_USERS = "*";

    /** Kafka record key: changes of one user stay in order on one partition. */
    public String key() {
        return userId;
    }
}
