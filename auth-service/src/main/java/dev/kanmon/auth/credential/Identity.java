package dev.kanmon.auth.credential;

import java.util.List;

/**
 * An authenticated subscriber.
 *
 * @param userId    Keycloak user id ({@code sub}), stable across renames; used to drop disabled users
 * @param username  Keycloak user name
 * @param addresses envelope senders: {@code email} first, then {@code mail_aliases}
 */
public record Identity(String userId, String username, List<String> addresses) {

    public Identity {
        addresses = List.copyOf(addresses);
    }
}
