package dev.kanmon.keycloak;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Bearer tokens that already passed the caller check, remembered until they expire or for at most {@code maxAgeMillis},
 * whichever comes first. Keycloak's own bearer-token check makes a transient user session (an authentication session
 * written to Infinispan) for every client-credentials token on every request; the auth-service presents the same token
 * for minutes, so a cold password check paid that on top of the hash. Revoking the role or the service account takes
 * effect after at most {@code maxAgeMillis}; a revoked token, at its expiry or that bound.
 */
final class AuthorisedCallers {

    /** A realm has one or two callers (one token each, renewed shortly before expiry): more means churn, so start over. */
    private static final int MAX_ENTRIES = 256;

    private final long maxAgeMillis;
    private final ConcurrentMap<Key, Long> validUntil = new ConcurrentHashMap<>();

    AuthorisedCallers(long maxAgeMillis) {
        this.maxAgeMillis = maxAgeMillis;
    }

    /** Whether this token of this realm passed the check and is still within its time. */
    boolean known(String realmId, String token, long nowMillis) {
        if (token == null || maxAgeMillis <= 0) {
            return false;
        }
        Key key = new Key(realmId, token);
        Long until = validUntil.get(key);
        if (until == null) {
            return false;
        }
        if (nowMillis >= until) {
            validUntil.remove(key, until);
            return false;
        }
        return true;
    }

    /** Remembers a token that passed the check; {@code expiresAtMillis} is the token's own expiry. */
    void remember(String realmId, String token, long expiresAtMillis, long nowMillis) {
        if (token == null || maxAgeMillis <= 0) {
            return;
        }
        if (validUntil.size() >= MAX_ENTRIES) {
            validUntil.clear();
        }
        validUntil.put(new Key(realmId, token), Math.min(expiresAtMillis, nowMillis + maxAgeMillis));
    }

    private record Key(String realmId, String token) {
    }
}
