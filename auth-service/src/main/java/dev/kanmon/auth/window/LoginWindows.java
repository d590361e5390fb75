package dev.kanmon.auth.window;

import dev.kanmon.auth.ban.BanAddress;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.NetUtil;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * The login-before-SMTP windows, in PostgreSQL ({@code auth.login_window}) so that every auth-service replica sees
 * the login whichever replica consumed or received it. One row per (address, user) holding the last login; an
 * address with rows of more than one user within {@code shared-lookback} is shared and grants nothing. Times come
 * from this service's clock (the replicas' clocks are synchronised; Keycloak's event time is only ever used to
 * shorten a window, never to extend it).
 */
@ApplicationScoped
public class LoginWindows {

    private static final Logger LOG = Logger.getLogger(LoginWindows.class);
    /** Keeps the later login when a replayed or late event arrives after a newer one. */
    private static final String OPEN = "INSERT INTO auth.login_window AS w (address, username, source, logged_in_at)"
            + " VALUES ($1, $2, $3, $4) ON CONFLICT (address, username) DO UPDATE"
            + " SET logged_in_at = greatest(w.logged_in_at, EXCLUDED.logged_in_at),"
            + " source = CASE WHEN EXCLUDED.logged_in_at >= w.logged_in_at THEN EXCLUDED.source ELSE w.source END";
    /** At most two rows are needed to tell one user from a shared address. */
    private static final String FIND = "SELECT username, source, logged_in_at FROM auth.login_window"
            + " WHERE address = $1 AND logged_in_at > $2 ORDER BY logged_in_at DESC LIMIT 2";

    private final Pool pool;
    private final Vertx vertx;
    private final LoginWindowConfig config;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Networks excluded;
    private long timer = -1;

    @Inject
    public LoginWindows(Pool pool, Vertx vertx, LoginWindowConfig config, MeterRegistry registry) {
        this(pool, vertx, config, registry, Clock.systemUTC());
    }

    LoginWindows(Pool pool, Vertx vertx, LoginWindowConfig config, MeterRegistry registry, Clock clock) {
        this.pool = pool;
        this.vertx = vertx;
        this.config = config;
        this.registry = registry;
        this.clock = clock;
        this.excluded = new Networks(config.excludedNetworks().orElse(List.of()));
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** Whether {@code clientIp} is an address literal that a window can be kept for. */
    public static boolean isAddress(String clientIp) {
        return clientIp != null && NetUtil.createByteArrayFromIpAddressString(clientIp.strip()) != null;
    }

    /**
     * Records a successful login of {@code username} from {@code clientIp} at {@code at} (a future time counts as
     * now). A login older than the window, e.g. an event that waited in Kafka, opens nothing. Feature off, no user
     * or no address literal: nothing is recorded.
     *
     * @param source {@code keycloak}, or the mail store's service ({@code pop3}, {@code imap})
     */
    public Uni<Void> loggedIn(String username, String clientIp, Instant at, String source) {
        if (!config.enabled() || username == null || username.isBlank() || !isAddress(clientIp)) {
            return Uni.createFrom().voidItem();
        }
        if (excluded.contains(clientIp)) {
            registry.counter("kanmon.auth.login.windows.opened", "source", source, "result", "excluded").increment();
            return Uni.createFrom().voidItem();
        }
        Instant now = clock.instant();
        Instant when = at == null || at.isAfter(now) ? now : at;
        if (when.isBefore(now.minus(config.length()))) {
            registry.counter("kanmon.auth.login.windows.opened", "source", source, "result", "stale").increment();
            return Uni.createFrom().voidItem();
        }
        String address = address(clientIp);
        return pool.preparedQuery(OPEN)
                .execute(Tuple.of(address, username.strip().toLowerCase(Locale.ROOT), source, utc(when)))
                .invoke(() -> {
                    registry.counter("kanmon.auth.login.windows.opened", "source", source, "result", "ok").increment();
                    LOG.debugf("login window of %s opened for %s (%s)", username, address, source);
                })
                .replaceWithVoid();
    }

    /** The window of {@code clientIp}: one user's open window, none, or a shared address. */
    public Uni<WindowLookup> find(String clientIp) {
        if (!config.enabled() || !isAddress(clientIp) || excluded.contains(clientIp)) {
            return Uni.createFrom().item(WindowLookup.NONE);
        }
        Instant now = clock.instant();
        String address = address(clientIp);
        return pool.preparedQuery(FIND).execute(Tuple.of(address, utc(now.minus(lookback()))))
                .map(rows -> lookup(address, rows, now))
                .invoke(l -> registry.counter("kanmon.auth.login.windows.lookups",
                        "result", l.state().name().toLowerCase(Locale.ROOT)).increment());
    }

    private WindowLookup lookup(String address, RowSet<Row> rows, Instant now) {
        if (rows.size() > 1) {
            // not a warning: CGNAT pools and offices do this all day; the metric shows how often
            LOG.infof("login window refused for %s: several users logged in from it", address);
            return WindowLookup.SHARED;
        }
        if (rows.size() == 0) {
            return WindowLookup.NONE;
        }
        Row row = rows.iterator().next();
        Instant until = row.getOffsetDateTime("logged_in_at").toInstant().plus(config.length());
        return until.isAfter(now)
                ? new WindowLookup(WindowLookup.State.OPEN, row.getString("username"), row.getString("source"), until)
                : WindowLookup.NONE;
    }

    private String address(String clientIp) {
        return BanAddress.canonical(clientIp, config.ipv6PrefixLength());
    }

    private Duration lookback() {
        return config.sharedLookback().compareTo(config.length()) > 0 ? config.sharedLookback() : config.length();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    void start(@Observes StartupEvent event) {
        if (config.enabled()) {
            timer = vertx.setPeriodic(config.pruneInterval().toMillis(), id -> prune());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
    }

    private void prune() {
        pool.preparedQuery("DELETE FROM auth.login_window WHERE logged_in_at < $1")
                .execute(Tuple.of(utc(clock.instant().minus(lookback()))))
                .subscribe().with(rows -> { }, err -> LOG.warnf("login window prune failed: %s", err.toString()));
    }
}
