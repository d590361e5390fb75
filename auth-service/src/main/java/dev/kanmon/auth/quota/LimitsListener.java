package dev.kanmon.auth.quota;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Listens on PostgreSQL channel {@code quota_limits}, which the plan and subscriber triggers notify (payload:
 * the username, or {@code *} for a plan), so that every auth-service replica forgets changed limits at once.
 */
@Singleton
final class LimitsListener {

    private static final Logger LOG = Logger.getLogger(LimitsListener.class);
    private static final String CHANNEL = "quota_limits";

    private final LimitsCache cache;
    private PgSubscriber subscriber;

    LimitsListener(LimitsCache cache) {
        this.cache = cache;
    }

    void start(@Observes StartupEvent event, Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        PgConnectOptions options = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""))
                .setUser(username);
        password.ifPresent(options::setPassword);
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1_000L);
        subscriber.channel(CHANNEL)
                // (re)subscribed: notifications may have been missed while disconnected
                .subscribeHandler(cache::evictAll)
                .handler(payload -> {
                    if ("*".equals(payload)) {
                        cache.evictAll();
                    } else {
                        cache.evict(payload);
                    }
                });
        subscriber.connect().subscribe().with(v -> LOG.debugf("listening on %s", CHANNEL),
                e -> LOG.warnf("cannot listen on %s (limits expire after limits-cache-ttl): %s", CHANNEL, e.toString()));
    }

    void stop(@Observes ShutdownEvent event) {
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }
}
