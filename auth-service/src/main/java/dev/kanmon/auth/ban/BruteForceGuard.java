package dev.kanmon.auth.ban;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.kanmon.auth.config.AuthConfig;
import io.micrometer.core.instrument.Gauge;
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
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Brute-force defence, cluster-wide, that does not hurt the innocent. Each failed check is counted for its
 * (address, login) pair and for its address in one atomic statement on PostgreSQL; the pair is banned after
 * {@code pair-threshold} failures, the address only once {@code address-logins-threshold} distinct logins failed
 * there. So guessing one subscriber's password locks that subscriber out of nothing but the guessing address, and the
 * subscribers behind a shared (CGNAT) address keep working until the address itself shows a spread of logins.
 * Ban checks are local (a Caffeine map of active bans, no I/O); other instances learn a ban from the refresh.
 */
@ApplicationScoped
public class BruteForceGuard {

    private static final Logger LOG = Logger.getLogger(BruteForceGuard.class);

    /**
     * One statement per failure: the pair's counter, then the address's, whose distinct-login count grows only when
     * the pair row was just created (its first failure in the window). Row locks make both exact under concurrency.
     */
    private static final String COUNT = "WITH pair AS ("
            + " INSERT INTO auth.pair_failure AS p (address, login, window_start, failures) VALUES ($1, $2, $3, 1)"
            + " ON CONFLICT (address, login, window_start) DO UPDATE SET failures = p.failures + 1"
            + " RETURNING failures),"
            + " addr AS ("
            + " INSERT INTO auth.address_failure AS a (address, window_start, failures, logins)"
            + " SELECT $1, $3, 1, CASE WHEN pair.failures = 1 THEN 1 ELSE 0 END FROM pair"
            + " ON CONFLICT (address, window_start) DO UPDATE"
            + " SET failures = a.failures + 1, logins = a.logins + EXCLUDED.logins"
            + " RETURNING failures, logins)"
            + " SELECT pair.failures AS pair_failures, addr.failures AS address_failures, addr.logins AS address_logins"
            + " FROM pair, addr";

    private final Pool pool;
    private final Vertx vertx;
    private final AuthConfig.BruteForce config;
    private final MeterRegistry registry;
    private final Clock clock = Clock.systemUTC();

    /** A ban known here: its end, and when this instance learnt it (epoch millis). */
    private record LocalBan(long until, long learnt) {
    }

    /** {@link BanTarget#key()} → ban; entries expire by themselves at the ban's end. */
    private final Cache<String, LocalBan> bans;
    /** Active bans per kind in PostgreSQL at the last refresh: the same cluster-wide figure on every replica. */
    private final Map<BanKind, AtomicLong> active = new EnumMap<>(BanKind.class);
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
        for (BanKind kind : BanKind.values()) {
            AtomicLong count = new AtomicLong();
            active.put(kind, count);
            Gauge.builder("kanmon.auth.bans.active", count, AtomicLong::get).tag("kind", kind.tag())
                    .description("active bans in PostgreSQL (cluster-wide) at this replica's last refresh")
                    .register(registry);
        }
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

    /** Whether this login from this client address is refused: the address is banned, or the pair (no I/O). */
    public boolean banned(String clientIp, String login) {
        if (!config.enabled()) {
            return false;
        }
        String address = address(clientIp);
        BanKind hit = null;
        if (bans.getIfPresent(BanTarget.address(address).key()) != null) {
            hit = BanKind.ADDRESS;
        } else if (bans.getIfPresent(BanTarget.pair(address, login(login)).key()) != null) {
            hit = BanKind.PAIR;
        }
        if (hit == null) {
            return false;
        }
        registry.counter("kanmon.auth.bans.refused", "kind", hit.tag()).increment();
        return true;
    }

    /** Counts one failed check of this login from this address; bans the pair or the address when due. */
    public Uni<Void> recordFailure(String clientIp, String login) {
        if (!config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        registry.counter("kanmon.auth.failures").increment();
        String address = address(clientIp);
        String name = login(login);
        long windowMillis = config.window().toMillis();
        long now = clock.millis();
        OffsetDateTime windowStart = OffsetDateTime.ofInstant(Instant.ofEpochMilli(now - now % windowMillis),
                ZoneOffset.UTC);
        return pool.preparedQuery(COUNT).execute(Tuple.of(address, name, windowStart)).chain(rows -> {
            Row row = rows.iterator().next();
            int pairFailures = row.getInteger("pair_failures");
            int addressFailures = row.getInteger("address_failures");
            int addressLogins = row.getInteger("address_logins");
            List<Uni<Void>> due = new ArrayList<>(2);
            if (addressLogins >= config.addressLoginsThreshold()) {
                due.add(ban(BanTarget.address(address), addressFailures, addressLogins, config.addressBanDuration()));
            }
            if (pairFailures >= config.pairThreshold()) {
                due.add(ban(BanTarget.pair(address, name), pairFailures, 1, config.pairBanDuration()));
            }
            return due.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(due).andFailFast().replaceWithVoid();
        });
    }

    private Uni<Void> ban(BanTarget target, int failures, int logins, Duration duration) {
        long now = clock.millis();
        long until = now + duration.toMillis();
        bans.put(target.key(), new LocalBan(until, now));
        if (target.kind() == BanKind.PAIR) {
            LOG.infof("banning %s after %d failed authentications", target.key(), failures);
        } else {
            LOG.infof("banning %s after %d failed authentications of %d logins", target.key(), failures, logins);
        }
        registry.counter("kanmon.auth.bans.set", "kind", target.kind().tag()).increment();
        return pool.preparedQuery("INSERT INTO auth.ban (key, kind, address, login, until, failures, logins)"
                        + " VALUES ($1, $2, $3, $4, $5, $6, $7)"
                        + " ON CONFLICT (key) DO UPDATE SET until = GREATEST(auth.ban.until, EXCLUDED.until),"
                        + " failures = EXCLUDED.failures, logins = EXCLUDED.logins")
                .execute(Tuple.tuple().addValue(target.key()).addValue(target.kind().tag())
                        .addValue(target.address()).addValue(target.login())
                        .addValue(OffsetDateTime.ofInstant(Instant.ofEpochMilli(until), ZoneOffset.UTC))
                        .addValue(failures).addValue(logins))
                .replaceWithVoid();
    }

    /** Reloads active bans (so bans set or lifted elsewhere apply here), updates the gauges, prunes old rows. */
    Uni<Void> refresh() {
        long started = clock.millis();
        return pool.query("SELECT key, kind, until FROM auth.ban WHERE until > now()").execute().chain(rows -> {
            Set<String> keys = new HashSet<>();
            Map<BanKind, Long> perKind = new EnumMap<>(BanKind.class);
            for (Row row : rows) {
                String key = row.getString("key");
                keys.add(key);
                perKind.merge(BanKind.valueOf(row.getString("kind").toUpperCase(Locale.ROOT)), 1L, Long::sum);
                long until = row.getOffsetDateTime("until").toInstant().toEpochMilli();
                bans.asMap().merge(key, new LocalBan(until, started),
                        (old, fresh) -> old.until() >= until ? old : new LocalBan(until, old.learnt()));
            }
            active.forEach((kind, count) -> count.set(perKind.getOrDefault(kind, 0L)));
            // Lifted elsewhere: gone from the table. A ban learnt after this query started may not be visible in
            // its result yet (insert still in flight), so it stays until the next refresh.
            bans.asMap().entrySet().removeIf(e -> !keys.contains(e.getKey()) && e.getValue().learnt() < started);
            OffsetDateTime oldWindows = OffsetDateTime.now(clock).minus(config.window().multipliedBy(2));
            return pool.preparedQuery("DELETE FROM auth.pair_failure WHERE window_start < $1")
                    .execute(Tuple.of(oldWindows))
                    .chain(() -> pool.preparedQuery("DELETE FROM auth.address_failure WHERE window_start < $1")
                            .execute(Tuple.of(oldWindows)))
                    .chain(() -> pool.query("DELETE FROM auth.ban WHERE until < now() - interval '1 day'").execute())
                    .replaceWithVoid();
        });
    }

    /** Active bans, from the database (the cluster-wide truth). */
    public Uni<List<Ban>> list() {
        return pool.query("SELECT kind, address, login, failures, logins, until, created_at FROM auth.ban"
                        + " WHERE until > now() ORDER BY until")
                .execute()
                .map(rows -> {
                    List<Ban> result = new ArrayList<>();
                    for (Row row : rows) {
                        BanKind kind = BanKind.valueOf(row.getString("kind").toUpperCase(Locale.ROOT));
                        result.add(new Ban(kind, row.getString("address"),
                                kind == BanKind.PAIR ? row.getString("login") : null,
                                row.getInteger("failures"), row.getInteger("logins"),
                                row.getOffsetDateTime("until"), row.getOffsetDateTime("created_at")));
                    }
                    return result;
                });
    }

    /** Lifts a pair ban and forgets the pair's counters; false if there was no such ban. */
    public Uni<Boolean> liftPair(String clientIp, String login) {
        BanTarget target = BanTarget.pair(address(clientIp), login(login));
        return lift(target, pool.preparedQuery("DELETE FROM auth.pair_failure WHERE address = $1 AND login = $2")
                .execute(Tuple.of(target.address(), target.login())).replaceWithVoid());
    }

    /**
     * Lifts an address ban and forgets the address's counters (else its next failure would ban it again at once);
     * pair bans from that address stay: each is about one login only.
     */
    public Uni<Boolean> liftAddress(String clientIp) {
        BanTarget target = BanTarget.address(address(clientIp));
        return lift(target, pool.preparedQuery("DELETE FROM auth.address_failure WHERE address = $1")
                .execute(Tuple.of(target.address())).replaceWithVoid());
    }

    private Uni<Boolean> lift(BanTarget target, Uni<Void> forgetCounters) {
        bans.invalidate(target.key());
        return forgetCounters
                .chain(() -> pool.preparedQuery("DELETE FROM auth.ban WHERE key = $1 AND until > now()")
                        .execute(Tuple.of(target.key())))
                .map(rows -> rows.rowCount() == 1);
    }

    private String address(String clientIp) {
        return BanAddress.canonical(clientIp, config.ipv6PrefixLength());
    }

    /** Logins are case-insensitive (Keycloak user names and e-mail addresses); none at all (a bare token) is "". */
    private static String login(String login) {
        return login == null ? "" : login.strip().toLowerCase(Locale.ROOT);
    }
}
