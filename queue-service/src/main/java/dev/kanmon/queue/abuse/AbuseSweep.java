package dev.kanmon.queue.abuse;

import dev.kanmon.core.abuse.AbuseAction;
import dev.kanmon.core.abuse.AbuseEvent;
import dev.kanmon.queue.audit.AuditEntry;
import dev.kanmon.queue.audit.AuditLog;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Every {@code evaluation-interval} on each replica: the evaluations left for later. Every {@code sweep-interval}: ends
 * slow-downs that ran their length while the score is below the slow-down threshold (audited as automatic;
 * {@code skip locked}, so replicas never end the same one twice), prunes counters and networks past their memory, and
 * refreshes the level gauges.
 */
@ApplicationScoped
public class AbuseSweep {

    private static final Logger LOG = Logger.getLogger(AbuseSweep.class);

    private final Pool pool;
    private final AbuseConfig config;
    private final AuditLog audit;
    private final AbusePublisher publisher;
    private final AbuseMetrics metrics;

    AbuseSweep(Pool pool, AbuseConfig config, AuditLog audit, AbusePublisher publisher, AbuseMetrics metrics,
            AbuseEngine engine) {
        this.engine = engine;
        this.pool = pool;
        this.config = config;
        this.audit = audit;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    private final AbuseEngine engine;

    /** The evaluations left for later by a busy user's batches. */
    @Scheduled(every = "${kanmon.queue.abuse.evaluation-interval:2s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> evaluatePending() {
        return config.enabled() ? engine.evaluatePending() : Uni.createFrom().voidItem();
    }

    @Scheduled(every = "${kanmon.queue.abuse.sweep-interval:1m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        if (!config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        Instant now = Instant.now();
        return endSlowDowns(now)
                .chain(() -> pool.preparedQuery("delete from queue.abuse_slot where slot_start < $1")
                        .execute(Tuple.of(AbuseEngine.utc(now.minus(config.window()).minusSeconds(49 * 3600)))))
                .chain(() -> pool.preparedQuery("delete from queue.abuse_distinct where slot_start < $1")
                        .execute(Tuple.of(AbuseEngine.utc(now.minus(config.window()).minus(config.slot())))))
                .chain(() -> pool.preparedQuery("delete from queue.abuse_network where last_seen < $1")
                        .execute(Tuple.of(AbuseEngine.utc(now.minus(config.networkMemory())))))
                .chain(() -> pool.query("""
                        select count(*) filter (where suspended) s,
                               count(*) filter (where not suspended and held and notified_at is not null) n,
                               count(*) filter (where not suspended and held and notified_at is null) h,
                               count(*) filter (where slowed and not held and not suspended) d
                          from queue.abuse_subscriber""").execute())
                .invoke(rows -> {
                    var r = rows.iterator().next();
                    Map<Level, Long> levels = new EnumMap<>(Level.class);
                    levels.put(Level.SUSPEND, r.getLong("s"));
                    levels.put(Level.NOTIFY, r.getLong("n"));
                    levels.put(Level.HOLD, r.getLong("h"));
                    levels.put(Level.SLOW_DOWN, r.getLong("d"));
                    metrics.levels(levels);
                })
                .replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("abuse sweep failed: %s", e.toString());
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<Void> endSlowDowns(Instant now) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                                select username, score, signals from queue.abuse_subscriber
                                 where slowed and slowed_until < $1 and score < $2 for update skip locked""")
                        .execute(Tuple.of(AbuseEngine.utc(now), config.thresholds().slowDown()))
                        .chain(rows -> {
                            Uni<Void> chain = Uni.createFrom().voidItem();
                            for (var r : rows) {
                                String user = r.getString("username");
                                int score = r.getInteger("score");
                                var signals = AuditLog.signals(r.getString("signals"));
                                chain = chain.chain(() -> conn.preparedQuery("""
                                                update queue.abuse_subscriber set slowed = false, slowed_until = null,
                                                       updated_at = now() where username = $1""")
                                        .execute(Tuple.of(user))
                                        .chain(() -> audit.record(conn, new AuditEntry(0, now, AuditEntry.AUTOMATION,
                                                true, AbuseAction.SLOW_DOWN_LIFTED.name(), "subscriber", user,
                                                "slow-down ran its length (" + config.slowdownLength()
                                                        + ") and the score is " + score, score, signals, "slowed down",
                                                "slow-down ended")))
                                        .chain(stored -> {
                                            metrics.action(AbuseAction.SLOW_DOWN_LIFTED, true);
                                            return publisher.event(new AbuseEvent(stored.id(), now, user,
                                                    AbuseAction.SLOW_DOWN_LIFTED, AuditEntry.AUTOMATION, true,
                                                    stored.reason(), score, signals, null));
                                        }));
                            }
                            return chain;
                        }));
    }
}
