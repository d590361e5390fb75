package dev.kanmon.queue.abuse;

import dev.kanmon.core.abuse.AbuseAction;
import dev.kanmon.core.abuse.AbuseEvent;
import dev.kanmon.queue.audit.AuditEntry;
import dev.kanmon.queue.audit.AuditLog;
import dev.kanmon.queue.dsn.DsnService;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The operator's side of the abuse automation: the view of subscribers by score, and undoing each step. Every undo is
 * audited with the operator's name and reason, forgives the score the subscriber has now for {@code pardon-length}
 * (so the automation does not decide the same step again on the same signals), and is published like the automatic
 * steps so that the auth-service restores the plan or lifts the suspension.
 */
@ApplicationScoped
public class AbuseOperator {

    private static final Logger LOG = Logger.getLogger(AbuseOperator.class);

    private static final String HELD_MESSAGES = """
            select m.queue_id from queue.message m
             where m.auth_user = $1
               and exists (select 1 from queue.recipient r where r.queue_id = m.queue_id and r.state = 'held')
             order by m.queue_id""";

    /** How held messages are rejected. */
    public enum Rejection {
        /** Each pending recipient fails with 5.7.1 and the sender gets a DSN as for any bounce. */
        BOUNCE,
        /** The messages are deleted without any notice (postsuper -d). */
        DROP
    }

    private final Pool pool;
    private final AbuseConfig config;
    private final AuditLog audit;
    private final AbusePublisher publisher;
    private final AbuseMetrics metrics;
    private final DsnService dsn;

    AbuseOperator(Pool pool, AbuseConfig config, AuditLog audit, AbusePublisher publisher, AbuseMetrics metrics,
            DsnService dsn) {
        this.pool = pool;
        this.config = config;
        this.audit = audit;
        this.publisher = publisher;
        this.metrics = metrics;
        this.dsn = dsn;
    }

    public Uni<List<SubscriberView>> list(int minScore, int limit) {
        return pool.preparedQuery("""
                        select s.*, (select count(*) from queue.message m where m.auth_user = s.username
                                       and exists (select 1 from queue.recipient r
                                                    where r.queue_id = m.queue_id and r.state = 'held')) held_count
                          from queue.abuse_subscriber s
                         where s.score >= $1 or s.slowed or s.held or s.suspended
                         order by s.score desc, s.username limit $2""")
                .execute(Tuple.of(minScore, limit)).map(rows -> {
                    List<SubscriberView> out = new ArrayList<>();
                    rows.forEach(r -> out.add(view(r, List.of())));
                    return out;
                });
    }

    /** The subscriber with its held messages; null when never scored. */
    public Uni<SubscriberView> detail(String user) {
        return pool.preparedQuery("""
                        select s.*, 0::bigint held_count from queue.abuse_subscriber s where s.username = $1""")
                .execute(Tuple.of(user)).chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    Row row = rows.iterator().next();
                    return pool.preparedQuery(HELD_MESSAGES).execute(Tuple.of(user)).map(held -> {
                        List<String> ids = new ArrayList<>();
                        held.forEach(h -> ids.add(h.getString(0)));
                        return view(row, ids);
                    });
                });
    }

    /** Ends the slow-down: the auth-service restores the plan the subscriber had. False when none was in force. */
    public Uni<Boolean> liftSlowDown(String user, String operator, String reason) {
        return undo(user, operator, reason, AbuseAction.SLOW_DOWN_LIFTED, Subscriber::slowed,
                "slowed = false, slowed_until = null", (conn, s) -> Uni.createFrom().item("plan restored"));
    }

    /** Lifts the suspension. False when none was in force. */
    public Uni<Boolean> liftSuspension(String user, String operator, String reason) {
        return undo(user, operator, reason, AbuseAction.SUSPENSION_LIFTED, Subscriber::suspended, "suspended = false",
                (conn, s) -> Uni.createFrom().item("AUTH allowed"));
    }

    /** Ends the hold and releases the held messages for delivery now. False when no hold was in force. */
    public Uni<Boolean> releaseHold(String user, String operator, String reason) {
        Instant now = Instant.now();
        return undo(user, operator, reason, AbuseAction.HOLD_RELEASED, Subscriber::held, "held = false",
                (conn, s) -> conn.preparedQuery("""
                                update queue.recipient r set state = 'deferred', next_attempt_at = $2, updated_at = $2
                                  from queue.message m
                                 where m.queue_id = r.queue_id and m.auth_user = $1 and r.state = 'held'""")
                        .execute(Tuple.of(user, AbuseEngine.utc(now)))
                        .map(rows -> rows.rowCount() + " held recipient(s) released for delivery"));
    }

    /** Ends the hold and bounces or drops the held messages. */
    public Uni<Boolean> rejectHold(String user, String operator, String reason, Rejection how) {
        Instant now = Instant.now();
        Set<String> bounced = new LinkedHashSet<>();
        return undo(user, operator, reason, AbuseAction.HOLD_REJECTED, Subscriber::held, "held = false", (conn, s) ->
                how == Rejection.DROP
                        ? conn.preparedQuery("""
                                        delete from queue.message m where m.auth_user = $1
                                           and exists (select 1 from queue.recipient r
                                                        where r.queue_id = m.queue_id and r.state = 'held')""")
                                .execute(Tuple.of(user)).map(rows -> rows.rowCount() + " held message(s) dropped")
                        : conn.preparedQuery("""
                                        update queue.recipient r
                                           set state = 'bounced', next_attempt_at = null, updated_at = $2,
                                               enhanced_code = '5.7.1', reply_code = null, remote_mta = null,
                                               diagnostic = 'rejected by the abuse desk (' || $3 || ')',
                                               dsn_pending = case when not m.is_dsn and m.mail_from <> ''
                                                                       and (r.notify = '' or r.notify like '%FAILURE%')
                                                                  then 'FAILED' end
                                          from queue.message m
                                         where m.queue_id = r.queue_id and m.auth_user = $1 and r.state = 'held'
                                     returning r.queue_id""")
                                .execute(Tuple.of(user, AbuseEngine.utc(now), operator)).map(rows -> {
                                    rows.forEach(r -> bounced.add(r.getString(0)));
                                    return rows.rowCount() + " held recipient(s) bounced";
                                }))
                .call(done -> bounced.isEmpty() ? Uni.createFrom().voidItem() : dsn.flush(bounced)
                        .onFailure().invoke(e -> LOG.warnf("DSNs of rejected held messages left to the scheduler: %s", e))
                        .onFailure().recoverWithNull().replaceWithVoid());
    }

    private interface Change {
        Uni<String> apply(SqlConnection conn, Subscriber s);
    }

    private Uni<Boolean> undo(String user, String operator, String reason, AbuseAction action,
            java.util.function.Predicate<Subscriber> inForce, String set, Change change) {
        Instant now = Instant.now();
        List<AbuseEvent> done = new ArrayList<>();
        String name = user.toLowerCase(Locale.ROOT);
        return pool.withTransaction(conn -> conn.preparedQuery(
                                "select * from queue.abuse_subscriber where username = $1 for update")
                        .execute(Tuple.of(name)).chain(rows -> {
                            if (rows.size() == 0) {
                                return Uni.createFrom().item(false);
                            }
                            Subscriber s = Subscriber.of(rows.iterator().next());
                            if (!inForce.test(s)) {
                                return Uni.createFrom().item(false);
                            }
                            String before = s.measures();
                            return change.apply(conn, s).chain(effect -> conn.preparedQuery("update queue.abuse_subscriber set "
                                                    + set + ", pardon_score = case when pardon_until > now()"
                                                    + " then greatest(pardon_score, score) else score end,"
                                                    + " pardon_until = $2, updated_at = now() where username = $1"
                                                    + " returning *")
                                            .execute(Tuple.of(name, AbuseEngine.utc(now.plus(config.pardonLength()))))
                                            .chain(updated -> {
                                                Subscriber after = Subscriber.of(updated.iterator().next());
                                                String why = (reason == null || reason.isBlank() ? "" : reason + "; ")
                                                        + effect;
                                                return audit.record(conn, new AuditEntry(0, now, operator, false,
                                                        action.name(), "subscriber", name, why, s.score(),
                                                        AuditLog.signals(s.signals()), before, after.measures()));
                                            })
                                            .invoke(stored -> done.add(new AbuseEvent(stored.id(), now, name, action,
                                                    operator, false, stored.reason(), s.score(), stored.signals(),
                                                    null))))
                                    .replaceWith(true);
                        }))
                .call(changed -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (AbuseEvent e : done) {
                        LOG.infof("abuse: %s %s by %s (%s)", e.action(), e.username(), operator, e.reason());
                        metrics.action(e.action(), false);
                        chain = chain.chain(() -> publisher.event(e));
                    }
                    return chain;
                });
    }

    private static SubscriberView view(Row r, List<String> held) {
        Subscriber s = Subscriber.of(r);
        long count = held.isEmpty() ? r.getLong("held_count") : held.size();
        return new SubscriberView(s.username(), s.email(), s.score(), s.level().name(), AuditLog.signals(s.signals()),
                s.slowed(), s.slowedUntil(), s.held(), count, s.notifiedAt(), s.suspended(), s.pardonScore(),
                s.pardonUntil(), s.evaluatedAt(), held);
    }
}
