package dev.kanmon.auth.credential;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kanmon.auth.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Successful PLAIN/LOGIN checks, reused for {@code kanmon.auth.cache.ttl} so that a client logging in again and
 * again costs no Keycloak call and no PBKDF2. The key is HMAC-SHA-256 of user name and password under a random key
 * made at start-up and never stored: a heap dump shows neither the password nor an offline-crackable hash.
 */
@ApplicationScoped
public class SuccessCache {

    /**
     * @param identity      who logged in
     * @param appPasswordId the app password that matched, or null for a Keycloak password
     */
    public record Entry(Identity identity, UUID appPasswordId) {
    }

    private final SecretKeySpec key;
    private final Cache<String, Entry> cache;

    @Inject
    public SuccessCache(AuthConfig config) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(config.cache().ttl())
                .maximumSize(config.cache().maxSize())
                .build();
    }

    public Optional<Entry> get(String username, String password) {
        return Optional.ofNullable(cache.getIfPresent(key(username, password)));
    }

    public void put(String username, String password, Identity identity, UUID appPasswordId) {
        cache.put(key(username, password), new Entry(identity, appPasswordId));
    }

    /** Drops every entry of these Keycloak user ids (changed or disabled users). */
    public void evictUsers(Set<String> userIds) {
        if (!userIds.isEmpty()) {
            cache.asMap().values().removeIf(e -> userIds.contains(e.identity().userId()));
        }
    }

    /** Drops everything (a change that may concern any user, e.g. a group's plan). */
    public void evictAll() {
        cache.invalidateAll();
    }

    /** App passwords that cached entries rely on. */
    public Set<UUID> appPasswordIds() {
        Set<UUID> ids = new HashSet<>();
        cache.asMap().values().forEach(e -> {
            if (e.appPasswordId() != null) {
                ids.add(e.appPasswordId());
            }
        });
        return ids;
    }

    /** Drops entries whose app password was among {@code checked} but not found {@code existing} (revoked). */
    public void retainAppPasswords(Set<UUID> checked, Set<UUID> existing) {
        cache.asMap().values().removeIf(e -> checked.contains(e.appPasswordId()) && !existing.contains(e.appPasswordId()));
    }

    /** Drops the entry that used this app password (revoked on this instance: effective at once here). */
    public void evictAppPassword(UUID id) {
        cache.asMap().values().removeIf(e -> id.equals(e.appPasswordId()));
    }

    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    private String key(String username, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(username.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return HexFormat.of().formatHex(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
