package dev.kanmon.auth.ban;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.kanmon.auth.config.AuthConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * fail2ban-like defence, cluster-wide. Each failed check bumps two counters ({@code ip:<addr>}, {@code user:<name>})
 * in {@code auth.failure_window} with one atomic UPSERT; a counter reaching its threshold writes a ban to
 * {@code auth.ban}. Ban checks are purely local (a Caffeine map of active bans, no database round trip): the
 * instance that set a ban knows it at once, the others reload active bans every
 * {@code kanmon.auth.brute-force.refresh-interval}.
 */
@ApplicationScoped
public class BruteForceGuard {

    private static final Logger LOG = Logger.getLogger(BruteForceGuard.class);
    static final String IP = "ip";
    static final String USER = "user";

    private final Pool pool;
    private final Vertx vertx;
    private final AuthConfig.BruteForce config;
    private final MeterRegistry registry;
    private final Clock clock = Clock.systemUTC();
    /** A ban known here: its end, and when this instance learnt it (epoch millis). */
    private record LocalBan(long until, long learnt) {
    }

    /** key → ban; entries expire by themselves at the ban's end. */
    private final Cache<String, LocalBan> bans;
    private long timer = -1;

    @Inject
    public BruteForceGuard(Pool pool, Vertx vertx, AuthConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.vertx = vertx;
        this.config = config.bruteForce();
        this.registry = registry;
        this.bans = Caffeine.newBuilder().expireAfter(new Expiry<String, LocalBan>() {
            @Override
            public long expireAfterCreate(String key, LocalBan ban, long now) {
                return remainingNanos(ban.until());
            }

            @Override
            public long expireAfterUpdate(String key, LocalBan ban, long now, long current) {
                return remainingNanos(ban.until());
            }

            @Override
            public long expireAfterRead(String key, LocalBan ban, long now, long current) {
                return current;
            }
        }).build();
    }

    private long remainingNanos(long untilMillis) {
        return TimeUnit.MILLISECONDS.toNanos(Math.max(0, untilMillis - clock.millis()));
    }

    void start(@Observes StartupEvent event) {
        if (config.enabled()) {
            timer = vertx.setPeriodic(config.refreshInterval().toMillis(), id -> refresh()
                    .subscribe().with(ok -> { }, err -> LOG.warnf("ban refresh failed: %s", err.toString())));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Whether the client IP or the user name is banned right now (no I/O). */
    public boolean banned(String clientIp, String username) {
        if (!config.enabled()) {
            return false;
        }
        String hit = null;
        if (clientIp != null && bans.getIfPresent(Ban.key(IP, clientIp)) != null) {
            hit = IP;
        } else if (username != null && bans.getIfPresent(Ban.key(USER, normalise(username))) != null) {
            hit = USER;
        }
        if (hit != null) {
            registry.counter("kanmon.auth.bans.refused", "kind", hit).increment();
            return true;
        }
        return false;
    }

    /** Counts one failed check for the IP and the user name; bans what crossed its threshold. */
    public Uni<Void> recordFailure(String clientIp, String username) {
        if (!config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        registry.counter("kanmon.auth.failures").increment();
        long windowMillis = config.window().toMillis();
        long now = clock.millis();
        OffsetDateTime windowStart = OffsetDateTime.ofInstant(Instant.ofEpochMilli(now - now % windowMillis), ZoneOffset.UTC);
        List<String> keys = new ArrayList<>(2);
        if (clientIp != null && !clientIp.isBlank()) {
            keys.add(Ban.key(IP, clientIp));
        }
        if (username != null && !username.isBlank()) {
            keys.add(Ban.key(USER, normalise(username)));
        }
        if (keys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("INSERT INTO auth.failure_window (key, window_start, failures) "
                        + "SELECT k, $2, 1 FROM unnest($1::text[]) AS k "
                        + "ON CONFLICT (key, window_start) DO UPDATE SET failures = auth.failure_window.failures + 1 "
                        + "RETURNING key, failures")
                .execute(Tuple.of(keys.toArray(new String[0]), windowStart))
                .chain(rows -> {
                    List<Uni<Void>> bansToSet = new ArrayList<>();
                    for (Row row : rows) {
                        String key = row.getString("key");
                        int failures = row.getInteger("failures");
                        int threshold = key.startsWith(IP + ":") ? config.ipThreshold() : config.userThreshold();
                        if (failures >= threshold) {
                            bansToSet.add(ban(key, failures));
                        }
                    }
                    return bansToSet.isEmpty() ? Uni.createFrom().voidItem()
                            : Uni.join().all(bansToSet).andFailFast().replaceWithVoid();
                });
    }

    private Uni<Void> ban(String key, int failures) {
        long until = clock.millis() + config.banDuration().toMillis();
        bans.put(key, new LocalBan(until, clock.millis()));
        int colon = key.indexOf(':');
        LOG.infof("banning %s after %d failed authentications", key, failures);
        registry.counter("kanmon.auth.bans.set", "kind", key.substring(0, colon)).increment();
        return pool.preparedQuery("INSERT INTO auth.ban (key, kind, value, until, failures) VALUES ($1, $2, $3, $4, $5) "
                        + "ON CONFLICT (key) DO UPDATE SET until = GREATEST(auth.ban.until, EXCLUDED.until), "
                        + "failures = EXCLUDED.failures")
                .execute(Tuple.of(key, key.substring(0, colon), key.substring(colon + 1),
                        OffsetDateTime.ofInstant(Instant.ofEpochMilli(until), ZoneOffset.UTC), failures))
                .replaceWithVoid();
    }

    /** Reloads active bans (so bans set or lifted elsewhere apply here) and prunes old rows. */
    Uni<Void> refresh() {
        long started = clock.millis();
        return pool.query("SELECT key, until FROM auth.ban WHERE until > now()").execute().chain(rows -> {
            Set<String> active = new HashSet<>();
            for (Row row : rows) {
                String key = row.getString("key");
                active.add(key);
                long until = row.getOffsetDateTime("until").toInstant().toEpochMilli();
                bans.asMap().merge(key, new LocalBan(until, started),
                        (old, fresh) -> old.until() >= until ? old : new LocalBan(until, old.learnt()));
            }
            // Lifted elsewhere: gone from the table. A ban learnt after this query started may not be visible in
            // its result yet (insert still in flight), so it stays until the next refresh.
            bans.asMap().entrySet().removeIf(e -> !active.contains(e.getKey()) && e.getValue().learnt() < started);
            return pool.preparedQuery("DELETE FROM auth.failure_window WHERE window_start < $1")
                    .execute(Tuple.of(OffsetDateTime.now(clock).minus(config.window().multipliedBy(2))))
                    .chain(() -> pool.query("DELETE FROM auth.ban WHERE until < now() - interval '1 day'").execute())
                    .replaceWithVoid();
        });
    }

    /** Active bans, from the database (the cluster-wide truth). */
    public Uni<List<Ban>> list() {
        return pool.query("SELECT kind, value, until, failures, created_at FROM auth.ban WHERE until > now() ORDER BY until")
                .execute()
                .map(rows -> {
                    List<Ban> result = new ArrayList<>();
                    for (Row row : rows) {
                        result.add(new Ban(row.getString("kind"), row.getString("value"),
                                row.getOffsetDateTime("until"), row.getInteger("failures"),
                                row.getOffsetDateTime("created_at")));
                    }
                    return result;
                });
    }

    /** Lifts a ban and forgets its failure counters; false if there was no such ban. */
    public Uni<Boolean> lift(String kind, String value) {
        String key = Ban.key(kind, USER.equals(kind) ? normalise(value) : value);
        bans.invalidate(key);
        return pool.preparedQuery("DELETE FROM auth.failure_window WHERE key = $1").execute(Tuple.of(key))
                .chain(() -> pool.preparedQuery("DELETE FROM auth.ban WHERE key = $1 AND until > now()")
                        .execute(Tuple.of(key)))
                .map(rows -> rows.rowCount() == 1);
    }

    private static String normalise(String username) {
        return username.toLowerCase(Locale.ROOT);
    }
}
