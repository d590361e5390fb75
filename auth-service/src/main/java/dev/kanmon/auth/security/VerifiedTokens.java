package dev.kanmon.auth.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Bearer tokens that Quarkus OIDC has verified (signature against the realm's keys, issuer, audience, expiry), with
 * the identity it built, until the token expires. The submission service presents the same service-account token
 * on every internal call for its whole lifetime (minutes), and verifying it again each time — parsing the JWT and
 * checking an RSA signature — was a tenth of this service's CPU per login. A cached identity is only ever found for
 * the identical token string, and never past the token's own {@code exp}, so nothing is accepted that a fresh
 * verification would not accept, except a token whose signing key Keycloak withdrew meanwhile (rotation keeps the
 * old key published while its tokens live).
 */
@ApplicationScoped
public class VerifiedTokens {

    private record Entry(SecurityIdentity identity, long expiresAtNanos) {
    }

    private final Cache<String, Entry> cache = Caffeine.newBuilder()
            .maximumSize(1_000)
            .expireAfter(new Expiry<String, Entry>() {
                @Override
                public long expireAfterCreate(String token, Entry e, long now) {
                    return Math.max(0, e.expiresAtNanos() - System.nanoTime());
                }

                @Override
                public long expireAfterUpdate(String token, Entry e, long now, long current) {
                    return expireAfterCreate(token, e, now);
                }

                @Override
                public long expireAfterRead(String token, Entry e, long now, long current) {
                    return current;
                }
            })
            .build();

    /** The identity verified for exactly this token, if it has not expired. */
    SecurityIdentity find(String token) {
        Entry e = cache.getIfPresent(token);
        return e == null || e.expiresAtNanos() - System.nanoTime() <= 0 ? null : e.identity();
    }

    /** Remembers an identity that OIDC verified from a JWT bearer token, until the token's expiry. */
    void remember(SecurityIdentity identity) {
        TokenCredential credential = identity.getCredential(TokenCredential.class);
        if (credential == null || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return;
        }
        long secondsLeft = jwt.getExpirationTime() - System.currentTimeMillis() / 1000;
        if (secondsLeft <= 1 || cache.getIfPresent(credential.getToken()) != null) {
            return;
        }
        long ttl = Math.min(TimeUnit.SECONDS.toNanos(secondsLeft - 1), Duration.ofMinutes(10).toNanos());
        cache.put(credential.getToken(), new Entry(identity, System.nanoTime() + ttl));
    }
}
