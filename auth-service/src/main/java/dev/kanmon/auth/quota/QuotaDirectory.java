package dev.kanmon.auth.quota;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The operators' side of throttling: plans, per-subscriber overrides, suspension and reports. A change evicts
 * the cached limits here at once and, through the database trigger's NOTIFY, on every other replica; open
 * sessions see it when their escrow block expires ({@code escrow.validity}).
 */
@ApplicationScoped
public class QuotaDirectory {

    private static final String CURRENT_WINDOW =
            "to_timestamp(floor(extract(epoch FROM now()) / window_seconds) * window_seconds)";

    private final Pool pool;
    private final QuotaConfig config;
    private final LimitsCache cache;

    QuotaDirectory(Pool pool, QuotaConfig config, LimitsCache cache) {
        this.pool = pool;
        this.config = config;
        this.cache = cache;
    }

    public Uni<List<Plan>> plans() {
        return pool.query("SELECT * FROM quota.plan ORDER BY name").execute().map(rows -> {
            List<Plan> plans = new ArrayList<>();
            rows.forEach(r -> plans.add(plan(r)));
            return plans;
        });
    }

    public Uni<Plan> savePlan(Plan plan) {
        return pool.preparedQuery("""
                        INSERT INTO quota.plan (name, messages_per_minute, messages_per_hour, messages_per_day,
                                                recipients_per_message, recipients_per_day, concurrent_sessions)
                        VALUES ($1, $2, $3, $4, $5, $6, $7)
                        ON CONFLICT (name) DO UPDATE SET
                          messages_per_minute = EXCLUDED.messages_per_minute,
                          messages_per_hour = EXCLUDED.messages_per_hour,
                          messages_per_day = EXCLUDED.messages_per_day,
                          recipients_per_message = EXCLUDED.recipients_per_message,
                          recipients_per_day = EXCLUDED.recipients_per_day,
                          concurrent_sessions = EXCLUDED.concurrent_sessions,
                          updated_at = now()
                        """)
                .execute(Tuple.from(Arrays.asList(plan.name(), plan.messagesPerMinute(), plan.messagesPerHour(),
                        plan.messagesPerDay(), plan.recipientsPerMessage(), plan.recipientsPerDay(), plan.concurrentSessions())))
                .invoke(cache::evictAll)
                .replaceWith(plan);
    }

    public Uni<Void> saveSubscriber(String username, SubscriberLimits s) {
        return pool.preparedQuery("""
                        INSERT INTO quota.subscriber (username, plan, messages_per_minute, messages_per_hour, messages_per_day,
                                                      recipients_per_message, recipients_per_day, concurrent_sessions)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                        ON CONFLICT (username) DO UPDATE SET
                          plan = EXCLUDED.plan,
                          messages_per_minute = EXCLUDED.messages_per_minute,
                          messages_per_hour = EXCLUDED.messages_per_hour,
                          messages_per_day = EXCLUDED.messages_per_day,
                          recipients_per_message = EXCLUDED.recipients_per_message,
                          recipients_per_day = EXCLUDED.recipients_per_day,
                          concurrent_sessions = EXCLUDED.concurrent_sessions,
                          updated_at = now()
                        """)
                .execute(Tuple.from(Arrays.asList(username, s.plan(), s.messagesPerMinute(), s.messagesPerHour(),
                        s.messagesPerDay(), s.recipientsPerMessage(), s.recipientsPerDay(), s.concurrentSessions())))
                .invoke(() -> cache.evict(username))
                .replaceWithVoid();
    }

    public Uni<Void> suspend(String username, String reason) {
        return pool.preparedQuery("""
                        INSERT INTO quota.subscriber (username, suspended, suspended_reason, suspended_at)
                        VALUES ($1, true, $2, now())
                        ON CONFLICT (username) DO UPDATE SET suspended = true, suspended_reason = EXCLUDED.suspended_reason,
                          suspended_at = now(), updated_at = now()
                        """)
                .execute(Tuple.of(username, reason)).invoke(() -> cache.evict(username)).replaceWithVoid();
    }

    public Uni<Void> reinstate(String username) {
        return pool.preparedQuery("""
                        UPDATE quota.subscriber SET suspended = false, suspended_reason = NULL, suspended_at = NULL,
                          updated_at = now() WHERE username = $1
                        """)
                .execute(Tuple.of(username)).invoke(() -> cache.evict(username)).replaceWithVoid();
    }

    /** Abuse slow-down: the subscriber gets {@code plan}; the plan it had is kept for {@link #endSlowDown}. */
    public Uni<Void> slowDown(String username, String plan) {
        return pool.preparedQuery("""
                        INSERT INTO quota.subscriber AS s (username, plan, abuse_slowed) VALUES ($1, $2, true)
                        ON CONFLICT (username) DO UPDATE SET
                          abuse_plan_before = CASE WHEN s.abuse_slowed THEN s.abuse_plan_before ELSE s.plan END,
                          plan = EXCLUDED.plan, abuse_slowed = true, updated_at = now()
                        """)
                .execute(Tuple.of(username, plan)).invoke(() -> cache.evict(username)).replaceWithVoid();
    }

    /** Ends an abuse slow-down: the plan the subscriber had before comes back. */
    public Uni<Void> endSlowDown(String username) {
        return pool.preparedQuery("""
                        UPDATE quota.subscriber SET plan = abuse_plan_before, abuse_plan_before = NULL,
                          abuse_slowed = false, updated_at = now() WHERE username = $1 AND abuse_slowed
                        """)
                .execute(Tuple.of(username)).invoke(() -> cache.evict(username)).replaceWithVoid();
    }

    public Uni<SubscriberQuota> subscriber(String username) {
        Uni<Limits> limits = LimitsQuery.load(pool, username, config.defaultPlan());
        Uni<List<Usage>> usage = pool.preparedQuery("SELECT username, metric, window_seconds, used FROM quota.counter "
                        + "WHERE username = $1 AND window_start = " + CURRENT_WINDOW + " ORDER BY metric, window_seconds")
                .execute(Tuple.of(username)).map(QuotaDirectory::usage);
        Uni<Long> sessions = pool.preparedQuery("SELECT count(*) FROM quota.session_lease WHERE username = $1 AND expires_at > now()")
                .execute(Tuple.of(username)).map(rows -> rows.iterator().next().getLong(0));
        return Uni.combine().all().unis(limits, usage, sessions).asTuple()
                .map(t -> new SubscriberQuota(username, t.getItem1(), t.getItem2(), t.getItem3()));
    }

    /** Heaviest users of the current window: the "top senders" view. */
    public Uni<List<Usage>> top(String metric, Window window, int limit) {
        return pool.preparedQuery("SELECT username, metric, window_seconds, used FROM quota.counter "
                        + "WHERE metric = $1 AND window_seconds = $2 AND window_start = " + CURRENT_WINDOW
                        + " ORDER BY used DESC, username LIMIT $3")
                .execute(Tuple.of(metric, window.seconds, limit)).map(QuotaDirectory::usage);
    }

    private static List<Usage> usage(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<Usage> out = new ArrayList<>();
        rows.forEach(r -> out.add(new Usage(r.getString("username"), r.getString("metric"),
                label(r.getInteger("window_seconds")), r.getLong("used"))));
        return out;
    }

    private static String label(int seconds) {
        for (Window w : Window.values()) {
            if (w.seconds == seconds) {
                return w.label;
            }
        }
        return seconds + "s";
    }

    private static Plan plan(Row r) {
        return new Plan(r.getString("name"), r.getInteger("messages_per_minute"), r.getInteger("messages_per_hour"),
                r.getInteger("messages_per_day"), r.getInteger("recipients_per_message"),
                r.getInteger("recipients_per_day"), r.getInteger("concurrent_sessions"));
    }
}
