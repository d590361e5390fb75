package dev.kanmon.auth.keycloak;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kanmon.auth.config.AuthConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Keycloak users looked up through the admin API (enabled flag, addresses), cached like successful checks. Used
 * when the credential was checked locally (app passwords), where no token tells us who the user is.
 */
@ApplicationScoped
public class UserDirectory {

    private final KeycloakClient keycloak;
    private final Cache<String, DirectoryUser> cache;

    @Inject
    public UserDirectory(KeycloakClient keycloak, AuthConfig config) {
        this.keycloak = keycloak;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(config.cache().ttl())
                .maximumSize(config.cache().maxSize())
                .build();
    }

    /** The user, or empty if Keycloak has no such user; fails if Keycloak cannot be asked. */
    public Uni<Optional<DirectoryUser>> find(String username) {
        String key = username.toLowerCase(Locale.ROOT);
        DirectoryUser cached = cache.getIfPresent(key);
        if (cached != null) {
            return Uni.createFrom().item(Optional.of(cached));
        }
        return keycloak.findUser(username).invoke(found -> found.ifPresent(u -> cache.put(key, u)));
    }

    public void evictAll() {
        cache.invalidateAll();
    }

    public void evictUsers(Set<String> userIds) {
        if (!userIds.isEmpty()) {
            cache.asMap().values().removeIf(u -> userIds.contains(u.identity().userId()));
        }
    }
}
