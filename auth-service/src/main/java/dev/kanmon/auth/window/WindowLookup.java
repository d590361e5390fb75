package dev.kanmon.auth.window;

import java.time.Instant;

/**
 * What the login windows say about one client address.
 *
 * @param state    whether the address may submit as somebody
 * @param username the user of an {@link State#OPEN} window, else null
 * @param source   where that login happened ({@code keycloak}, {@code pop3}, {@code imap}), else null
 * @param until    the end of an open window, else null
 */
public record WindowLookup(State state, String username, String source, Instant until) {

    /** The three answers. */
    public enum State {
        /** No login from this address within the window. */
        NONE,
        /** Exactly one user logged in here recently, and the window is still open. */
        OPEN,
        /** Several users logged in here within the look-back: the address proves nobody. */
        SHARED
    }

    static final WindowLookup NONE = new WindowLookup(State.NONE, null, null, null);
    static final WindowLookup SHARED = new WindowLookup(State.SHARED, null, null, null);
}
