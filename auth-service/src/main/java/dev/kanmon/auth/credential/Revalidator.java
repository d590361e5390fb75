package dev.kanmon.auth.credential;

import dev.kanmon.auth.apppassword.AppPasswordStore;
import dev.kanmon.auth.config.AuthConfig;
import dev.kanmon.auth.keycloak.KeycloakClient;
import dev.kanmon.auth.keycloak.UserDirectory;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Keeps cached successes honest. Every {@code kanmon.auth.cache.revalidate-interval} it asks Keycloak (admin API,
 * one paged query) which users are disabled and PostgreSQL which cached app passwords still exist, and drops what
 * no longer holds. Disabling a user in Keycloak therefore ends their SMTP logins within that interval, without a
 * Keycloak call per login.
 */
@ApplicationScoped
public class Revalidator {

    private static final Logger LOG = Logger.getLogger(Revalidator.class);

    private final KeycloakClient keycloak;
    private final AppPasswordStore appPasswords;
    private final SuccessCache cache;
    private final UserDirectory directory;
    private final Vertx vertx;
    private final AuthConfig config;
    private final MeterRegistry registry;
    private volatile Set<String> disabled = Set.of();
    private long timer = -1;

    @Inject
    public Revalidator(KeycloakClient keycloak, AppPasswordStore appPasswords, SuccessCache cache,
            UserDirectory directory, Vertx vertx, AuthConfig config, MeterRegistry registry) {
        this.keycloak = keycloak;
        this.appPasswords = appPasswords;
        this.cache = cache;
        this.directory = directory;
        this.vertx = vertx;
        this.config = config;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(config.cache().revalidateInterval().toMillis(), id -> revalidate()
                .subscribe().with(ok -> { }, err -> {
                    registry.counter("kanmon.auth.revalidation.failures").increment();
                    LOG.warnf("revalidation failed: %s", err.toString());
                }));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Whether the last poll saw this Keycloak user disabled (tokens stay valid until expiry; we do not wait). */
    public boolean disabled(String userId) {
        return disabled.contains(userId);
    }

    Uni<Void> revalidate() {
        Uni<Void> users = keycloak.disabledUserIds().invoke(ids -> {
            disabled = Set.copyOf(ids);
            cache.evictUsers(ids);
            directory.evictUsers(ids);
        }).replaceWithVoid();
        Set<UUID> checked = cache.appPasswordIds();
        Uni<Void> revoked = appPasswords.existing(checked)
                .invoke(existing -> cache.retainAppPasswords(checked, existing))
                .replaceWithVoid();
        return Uni.join().all(users, revoked).andCollectFailures().replaceWithVoid();
    }
}
