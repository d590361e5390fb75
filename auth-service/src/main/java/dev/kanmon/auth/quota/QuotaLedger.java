package dev.kanmon.auth.quota;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The hot path of throttling: hands out concurrent-session leases and escrow blocks of messages and recipients
 * (docs/throttling.md). Each call is one PostgreSQL function call (migration V2) that counts reserved units as
 * used under a per-user lock, so the limits hold exactly however many submission or auth replicas run; the
 * limits themselves come from {@link LimitsCache}.
 */
@ApplicationScoped
public class QuotaLedger {

    private static final Logger LOG = Logger.getLogger(QuotaLedger.class);

    private static final String RESERVE =
            "SELECT * FROM quota.reserve($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)";
    private static final String OPEN_SESSION =
            "SELECT * FROM quota.open_session($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
    private static final String CLOSE_SESSION = "SELECT quota.close_session($1, $2, $3, $4)";
    private static final String CLOSE_SESSIONS = "SELECT quota.close_sessions($1, $2, $3, $4)";

    private final Pool pool;
    private final QuotaConfig config;
    private final LimitsCache limits;
    private final MeterRegistry registry;

    QuotaLedger(Pool pool, QuotaConfig config, LimitsCache limits, MeterRegistry registry) {
        this.pool = pool;
        this.config = config;
        this.limits = limits;
        this.registry = registry;
    }

    /** One-off charge without a lease (the pre-escrow API): exactly the units asked for, spent at once. */
    public Uni<QuotaDecision> consume(ConsumeRequest request) {
        return reserve(new ReserveRequest(request.username(), null, 0, 0, 0, request.messages(), request.recipients(),
                false));
    }

    /** Returns the rest of the session's block and, unless {@code returnOnly}, reserves the next one. */
    public Uni<QuotaDecision> reserve(ReserveRequest r) {
        if (r.messages() < 0 || r.recipients() < 0) {
            return Uni.createFrom().failure(new IllegalArgumentException("messages and recipients must be >= 0"));
        }
        boolean reserve = !r.returnOnly();
        QuotaConfig.Escrow escrow = config.escrow();
        return limits.get(r.username()).flatMap(l -> pool.preparedQuery(RESERVE)
                .execute(Tuple.from(Arrays.asList(r.username(), r.leaseId(), r.seq(), r.messagesLeft(), r.recipientsLeft(),
                        reserve ? r.messages() : 0, reserve ? r.recipients() : 0,
                        reserve ? escrow.messages() : 0, reserve ? escrow.recipients() : 0,
                        enforced(l.messagesPerMinute()), enforced(l.messagesPerHour()), enforced(l.messagesPerDay()),
                        enforced(l.recipientsPerDay()), reserve && l.suspended(), escrow.divisor(),
                        toInt(escrow.validity().toMillis()), toInt(escrow.retry().toMillis()))))
                .map(rows -> decision(r.username(), l, rows.iterator().next())))
                .invoke(d -> registry.counter("kanmon.quota.decisions",
                        "result", d.allowed() ? "allowed" : d.retryMillis() > 0 ? "retry" : "refused",
                        "limit", d.limit() == null ? "none" : d.limit()).increment());
    }

    private QuotaDecision decision(String user, Limits l, Row row) {
        String refused = row.getString("refused");
        if (refused == null) {
            return QuotaDecision.allow(l, new EscrowGrant(row.getLong("seq"), row.getInteger("messages"),
                    row.getInteger("recipients"), row.getInteger("valid_ms")));
        }
        int retry = row.getInteger("retry_ms");
        if (retry == 0) {
            LOG.infof("quota refused user=%s limit=%s", user, refused);
        }
        return QuotaDecision.refuse(refused, reply(user, refused, l), l, retry);
    }

    /** The replies of docs/throttling.md, by the limit the database named. */
    private static QuotaReply reply(String user, String limit, Limits l) {
        return switch (limit) {
            case "suspended" -> new QuotaReply(550, "5.7.1", "Account " + user + " is suspended" + reason(l));
            case "recipients-per-day" -> new QuotaReply(450, "4.7.1", "Recipient limit exceeded for " + user + ": "
                    + l.recipientsPerDay() + " recipients per day; try again later");
            default -> {
                Window w = Window.of(limit.substring("messages-per-".length()));
                int value = switch (w) {
                    case MINUTE -> l.messagesPerMinute();
                    case HOUR -> l.messagesPerHour();
                    case DAY -> l.messagesPerDay();
                };
                yield new QuotaReply(450, "4.7.1", "Message rate limit exceeded for " + user + ": " + value + " per "
                        + w.label + "; try again later");
            }
        };
    }

    /**
     * Opens a session lease when the user is below its concurrent-session limit and, when {@code escrow} is
     * asked for, reserves the session's first block in the same call (nothing is needed yet: near a limit the
     * block may be empty).
     */
    public Uni<SessionGrant> openSession(String username, boolean escrow) {
        QuotaConfig.Escrow e = config.escrow();
        return limits.get(username).flatMap(l -> {
            if (l.suspended()) {
                return Uni.createFrom().item(SessionGrant.refuse(new QuotaReply(535, "5.7.8",
                        "Authentication failed: account suspended" + reason(l)), l));
            }
            UUID lease = UUID.randomUUID();
            return pool.preparedQuery(OPEN_SESSION)
                    .execute(Tuple.from(Arrays.asList(username, lease, toInt(config.sessionLeaseTtl().toSeconds()),
                            enforced(l.concurrentSessions()), escrow, e.messages(), e.recipients(),
                            enforced(l.messagesPerMinute()), enforced(l.messagesPerHour()),
                            enforced(l.messagesPerDay()), enforced(l.recipientsPerDay()), e.divisor(),
                            toInt(e.validity().toMillis()))))
                    .map(rows -> {
                        Row row = rows.iterator().next();
                        if (!row.getBoolean("opened")) {
                            registry.counter("kanmon.quota.decisions", "result", "refused",
                                    "limit", "concurrent-sessions").increment();
                            return SessionGrant.refuse(new QuotaReply(454, "4.7.0", "Too many concurrent sessions for "
                                    + username + " (limit " + l.concurrentSessions() + "); try again later"), l);
                        }
                        return new SessionGrant(true, lease, null, l.recipientsPerMessage(), new EscrowGrant(
                                row.getLong("seq"), row.getInteger("messages"), row.getInteger("recipients"),
                                row.getInteger("valid_ms")));
                    });
        });
    }

    /** Ends a session: the rest of its block goes back to the windows it came from and the lease is dropped. */
    public Uni<Void> closeSession(UUID leaseId, long seq, int messagesLeft, int recipientsLeft) {
        return pool.preparedQuery(CLOSE_SESSION).execute(Tuple.of(leaseId, seq, messagesLeft, recipientsLeft))
                .replaceWithVoid();
    }

    /** Ends many sessions in one transaction (migration V3); leases already gone are skipped. */
    public Uni<Void> closeSessions(List<SessionEnd> ends) {
        if (ends.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        UUID[] leases = new UUID[ends.size()];
        Long[] seqs = new Long[ends.size()];
        Integer[] messages = new Integer[ends.size()];
        Integer[] recipients = new Integer[ends.size()];
        for (int i = 0; i < ends.size(); i++) {
            SessionEnd e = ends.get(i);
            leases[i] = e.leaseId();
            seqs[i] = e.seq();
            messages[i] = e.messagesLeft();
            recipients[i] = e.recipientsLeft();
        }
        return pool.preparedQuery(CLOSE_SESSIONS).execute(Tuple.of(leases, seqs, messages, recipients))
                .replaceWithVoid();
    }

    /** With enforcement off every window is charged without a ceiling, so reports stay meaningful. */
    private int enforced(int limit) {
        return config.enforce() ? limit : Integer.MAX_VALUE;
    }

    private static int toInt(long value) {
        return (int) Math.min(value, Integer.MAX_VALUE);
    }

    private static String reason(Limits limits) {
        return limits.suspendedReason() == null || limits.suspendedReason().isBlank() ? "" : ": " + limits.suspendedReason();
    }
}
