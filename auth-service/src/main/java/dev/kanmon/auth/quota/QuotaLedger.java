package dev.kanmon.auth.quota;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The hot path of throttling: charges messages and recipients against fixed windows and hands out
 * concurrent-session leases. Every decision is taken by PostgreSQL inside one transaction, so the limits hold
 * exactly however many submission or auth replicas run (see docs/throttling.md for the cost of that).
 */
@ApplicationScoped
public class QuotaLedger {

    private static final Logger LOG = Logger.getLogger(QuotaLedger.class);

    /**
     * Adds to the window's counter only while the sum stays within the limit. PostgreSQL takes the row lock
     * on conflict, so concurrent charges serialise and none can overshoot.
     */
    private static final String CHARGE = """
            INSERT INTO quota.counter AS c (username, metric, window_seconds, window_start, used)
            VALUES ($1, $2, $3::integer, to_timestamp(floor(extract(epoch FROM now()) / $3::integer) * $3::integer), $4::bigint)
            ON CONFLICT (username, metric, window_seconds, window_start)
            DO UPDATE SET used = c.used + EXCLUDED.used
             WHERE c.used + EXCLUDED.used <= $5::bigint
            RETURNING used
            """;

    /** Refusals are recorded outside the aborted transaction for the "who is throttled" report. */
    private static final String RECORD_REFUSAL = """
            INSERT INTO quota.counter AS c (username, metric, window_seconds, window_start, used)
            VALUES ($1, 'refused', 86400, to_timestamp(floor(extract(epoch FROM now()) / 86400) * 86400), 1)
            ON CONFLICT (username, metric, window_seconds, window_start) DO UPDATE SET used = c.used + 1
            """;

    private final Pool pool;
    private final QuotaConfig config;
    private final MeterRegistry registry;

    QuotaLedger(Pool pool, QuotaConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.config = config;
        this.registry = registry;
    }

    public Uni<QuotaDecision> consume(ConsumeRequest request) {
        if (request.messages() < 0 || request.recipients() < 0) {
            return Uni.createFrom().failure(new IllegalArgumentException("messages and recipients must be >= 0"));
        }
        return pool.withTransaction(tx -> LimitsQuery.load(tx, request.username(), config.defaultPlan())
                        .flatMap(limits -> charge(tx, request, limits)))
                .onFailure(QuotaExceeded.class).recoverWithUni(e -> refused(request.username(), ((QuotaExceeded) e).decision))
                .invoke(d -> registry.counter("kanmon.quota.decisions",
                        "result", d.allowed() ? "allowed" : "refused",
                        "limit", d.limit() == null ? "none" : d.limit()).increment());
    }

    private Uni<QuotaDecision> charge(SqlClient tx, ConsumeRequest request, Limits limits) {
        if (limits.suspended()) {
            return fail(QuotaDecision.refuse("suspended", new QuotaReply(550, "5.7.1",
                    "Account " + request.username() + " is suspended" + reason(limits)), limits));
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        if (request.messages() > 0) {
            for (Window w : Window.values()) {
                int limit = switch (w) {
                    case MINUTE -> limits.messagesPerMinute();
                    case HOUR -> limits.messagesPerHour();
                    case DAY -> limits.messagesPerDay();
                };
                QuotaReply reply = new QuotaReply(450, "4.7.1", "Message rate limit exceeded for " + request.username()
                        + ": " + limit + " per " + w.label + "; try again later");
                chain = chain.flatMap(v -> chargeWindow(tx, request.username(), "messages", w, request.messages(),
                        limit, "messages-per-" + w.label, reply, limits));
            }
        }
        if (request.recipients() > 0) {
            QuotaReply reply = new QuotaReply(450, "4.7.1", "Recipient limit exceeded for " + request.username() + ": "
                    + limits.recipientsPerDay() + " recipients per day; try again later");
            chain = chain.flatMap(v -> chargeWindow(tx, request.username(), "recipients", Window.DAY,
                    request.recipients(), limits.recipientsPerDay(), "recipients-per-day", reply, limits));
        }
        return chain.map(v -> QuotaDecision.allow(limits));
    }

    private Uni<Void> chargeWindow(SqlClient tx, String user, String metric, Window window, int amount, int limit,
            String limitName, QuotaReply reply, Limits limits) {
        if (!config.enforce()) {
            // count without a ceiling so reports stay meaningful while enforcement is off
            return tx.preparedQuery(CHARGE).execute(Tuple.from(List.of(user, metric, window.seconds, (long) amount, Long.MAX_VALUE)))
                    .replaceWithVoid();
        }
        if (amount > limit) {
            return fail(QuotaDecision.refuse(limitName, reply, limits));
        }
        return tx.preparedQuery(CHARGE).execute(Tuple.from(List.of(user, metric, window.seconds, (long) amount, (long) limit)))
                .flatMap(rows -> rows.size() == 0 ? fail(QuotaDecision.refuse(limitName, reply, limits))
                        : Uni.createFrom().voidItem());
    }

    private Uni<QuotaDecision> refused(String user, QuotaDecision decision) {
        LOG.infof("quota refused user=%s limit=%s", user, decision.limit());
        return pool.preparedQuery(RECORD_REFUSAL).execute(Tuple.of(user)).replaceWith(decision);
    }

    /**
     * Opens a session lease when the user is below its concurrent-session limit. A per-user advisory lock
     * makes count-then-insert atomic across replicas.
     */
    public Uni<SessionGrant> openSession(String username) {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtext($1))")
                .execute(Tuple.of(username))
                .flatMap(ignored -> LimitsQuery.load(tx, username, config.defaultPlan()))
                .flatMap(limits -> {
                    if (limits.suspended()) {
                        return Uni.createFrom().item(new SessionGrant(false, null, new QuotaReply(535, "5.7.8",
                                "Authentication failed: account suspended" + reason(limits))));
                    }
                    return tx.preparedQuery("SELECT count(*) FROM quota.session_lease WHERE username = $1 AND expires_at > now()")
                            .execute(Tuple.of(username))
                            .flatMap(rows -> {
                                long live = rows.iterator().next().getLong(0);
                                if (config.enforce() && live >= limits.concurrentSessions()) {
                                    registry.counter("kanmon.quota.decisions", "result", "refused",
                                            "limit", "concurrent-sessions").increment();
                                    return Uni.createFrom().item(new SessionGrant(false, null, new QuotaReply(454, "4.7.0",
                                            "Too many concurrent sessions for " + username + " (limit "
                                                    + limits.concurrentSessions() + "); try again later")));
                                }
                                UUID lease = UUID.randomUUID();
                                return tx.preparedQuery("INSERT INTO quota.session_lease (lease_id, username, expires_at) "
                                                + "VALUES ($1, $2, now() + make_interval(secs => $3))")
                                        .execute(Tuple.of(lease, username, (double) config.sessionLeaseTtl().toSeconds()))
                                        .replaceWith(new SessionGrant(true, lease, null));
                            });
                }));
    }

    public Uni<Void> closeSession(UUID leaseId) {
        return pool.preparedQuery("DELETE FROM quota.session_lease WHERE lease_id = $1").execute(Tuple.of(leaseId))
                .replaceWithVoid();
    }

    private static String reason(Limits limits) {
        return limits.suspendedReason() == null || limits.suspendedReason().isBlank() ? "" : ": " + limits.suspendedReason();
    }

    private static <T> Uni<T> fail(QuotaDecision decision) {
        return Uni.createFrom().failure(new QuotaExceeded(decision));
    }
}
