package dev.kanmon.queue.results;

import dev.kanmon.core.log.QueueIdLog;
import dev.kanmon.core.queue.DeliveryResult;
import dev.kanmon.core.queue.Notify;
import dev.kanmon.core.queue.RecipientResult;
import dev.kanmon.queue.abuse.AbuseEngine;
import dev.kanmon.queue.abuse.AbuseObservations;
import dev.kanmon.queue.config.QueueConfig;
import dev.kanmon.queue.metrics.QueueMetrics;
import dev.kanmon.queue.retry.Backoff;
import dev.kanmon.queue.store.DsnAction;
import dev.kanmon.queue.store.QueuedMessage;
import dev.kanmon.queue.store.Recipient;
import dev.kanmon.queue.store.RecipientRows;
import dev.kanmon.queue.store.RecipientState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Applies delivery results to recipient states, a whole poll in one transaction of two statements: DELIVERED →
 * delivered, FAILED → bounced, DEFERRED → deferred with the next back-off (or expired past the maximal queue
 * lifetime). Each (recipient, delivery id) is applied once, so redelivered result records change nothing.
 */
@ApplicationScoped
public class ResultApplier {

    private static final Logger LOG = Logger.getLogger(ResultApplier.class);

    /*
     * One attempt row per recipient result, only for a recipient of the named message and only once per
     * (recipient, delivery id); the recipients (and their messages) of the rows inserted come back locked, so
     * that no operator action or scheduler pass changes them between this read and the update.
     */
    private static final String RECORD_ATTEMPTS = """
            with recorded as (
                insert into queue.attempt (recipient_id, delivery_id, attempt, status, reply_code, enhanced_code,
                                           diagnostic, remote_mta, finished_at)
                select a.recipient_id, a.delivery_id, a.attempt, a.status, a.reply_code, a.enhanced_code, a.diagnostic,
                       a.remote_mta, a.finished_at
                  from unnest($1::bigint[], $2::varchar[], $3::varchar[], $4::int[], $5::varchar[], $6::int[],
                              $7::varchar[], $8::text[], $9::varchar[], $10::timestamptz[])
                       as a(recipient_id, queue_id, delivery_id, attempt, status, reply_code, enhanced_code,
                            diagnostic, remote_mta, finished_at)
                 where exists (select 1 from queue.recipient r where r.id = a.recipient_id and r.queue_id = a.queue_id)
                on conflict (recipient_id, delivery_id) do nothing
                returning recipient_id, delivery_id)
            select recorded.delivery_id as recorded_delivery_id, %s,
                   m.mail_from, m.auth_user, m.is_dsn, m.received_at
              from recorded
              join queue.recipient r on r.id = recorded.recipient_id
              join queue.message m on m.queue_id = r.queue_id
             order by r.id
               for update of r""".formatted(RecipientRows.COLUMNS);

    private static final String UPDATE_RECIPIENTS = """
            update queue.recipient r
               set state = u.state, attempts = u.attempts, next_attempt_at = u.next_attempt_at,
                   last_attempt_at = u.last_attempt_at, reply_code = u.reply_code, enhanced_code = u.enhanced_code,
                   diagnostic = u.diagnostic, remote_mta = u.remote_mta, dsn_pending = u.dsn_pending,
                   updated_at = u.updated_at
              from unnest($1::bigint[], $2::varchar[], $3::int[], $4::timestamptz[], $5::timestamptz[], $6::int[],
                          $7::varchar[], $8::text[], $9::varchar[], $10::varchar[], $11::timestamptz[])
                   as u(id, state, attempts, next_attempt_at, last_attempt_at, reply_code, enhanced_code, diagnostic,
                        remote_mta, dsn_pending, updated_at)
             where r.id = u.id""";

    @Inject
    Pool pool;

    @Inject
    QueueConfig config;

    @Inject
    QueueMetrics metrics;

    @Inject
    AbuseObservations abuse;

    /** One recipient result with the delivery it reports on. */
    private record Reported(DeliveryResult result, RecipientResult recipient) {

        String key() {
            return key(recipient.recipientId(), result.deliveryId());
        }

        static String key(long recipientId, String deliveryId) {
            return recipientId + "/" + deliveryId;
        }
    }

    /** The recipients whose attempt was recorded (locked, as loaded) and their messages. */
    private record Loaded(Set<String> recorded, Map<Long, Recipient> recipients, Map<String, QueuedMessage> messages) {
    }

    /**
     * Returns the queue ids of messages that now owe their sender a DSN. A result only applies to a recipient of
     * the message it names, so a stray result (another deployment's, a deleted message's) changes nothing.
     */
    public Uni<Set<String>> apply(List<DeliveryResult> results) {
        List<Reported> reported = new ArrayList<>();
        results.forEach(result -> result.recipients().forEach(rr -> reported.add(new Reported(result, rr))));
        if (reported.isEmpty()) {
            return Uni.createFrom().item(new LinkedHashSet<>());
        }
        List<AbuseEngine.Outcome> outcomes = new ArrayList<>();
        return pool.withTransaction(conn -> record(conn, reported).chain(loaded -> {
            Set<String> owed = new LinkedHashSet<>();
            Map<Long, Recipient> changed = new LinkedHashMap<>();
            for (Reported rep : reported) {
                // remove: the same result twice in one poll is applied once, like a redelivered one
                if (!loaded.recorded().remove(rep.key())) {
                    QueueIdLog.debugf(LOG, "queueId=%s duplicate or orphan result %s for recipient %d ignored",
                            rep.result().queueId(), rep.result().deliveryId(), rep.recipient().recipientId());
                    continue;
                }
                Recipient r = loaded.recipients().get(rep.recipient().recipientId());
                RecipientResult rr = rep.recipient();
                outcomes.add(new AbuseEngine.Outcome(loaded.messages().get(r.queueId).authUser, rr.status(),
                        rr.replyCode(), rr.enhancedCode(), rr.diagnostic()));
                if (transition(loaded.messages().get(r.queueId), r, rep.result(), rep.recipient(), finished(rep.result()),
                        owed)) {
                    changed.put(r.id, r);
                }
            }
            return update(conn, changed.values()).replaceWith(owed);
        })).call(() -> abuse.outcomes(outcomes));
    }

    private static Instant finished(DeliveryResult result) {
        return result.finishedAt() == null ? Instant.now() : result.finishedAt();
    }

    private static Uni<Loaded> record(SqlConnection conn, List<Reported> reported) {
        int n = reported.size();
        Long[] rid = new Long[n];
        String[] qid = new String[n], did = new String[n], status = new String[n], enhanced = new String[n],
                diag = new String[n], mta = new String[n];
        Integer[] attempt = new Integer[n], reply = new Integer[n];
        OffsetDateTime[] finished = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            DeliveryResult result = reported.get(i).result();
            RecipientResult rr = reported.get(i).recipient();
            rid[i] = rr.recipientId();
            qid[i] = result.queueId();
            did[i] = result.deliveryId();
            attempt[i] = result.attempt();
            status[i] = rr.status().name().toLowerCase(Locale.ROOT);
            reply[i] = rr.replyCode();
            enhanced[i] = rr.enhancedCode();
            diag[i] = rr.diagnostic();
            mta[i] = rr.remoteMta();
            finished[i] = finished(result).atOffset(ZoneOffset.UTC);
        }
        Tuple args = Tuple.from(List.of(rid, qid, did, attempt, status, reply, enhanced, diag, mta, finished));
        return conn.preparedQuery(RECORD_ATTEMPTS).execute(args).map(rows -> {
            Set<String> recorded = new HashSet<>();
            Map<Long, Recipient> recipients = new HashMap<>();
            Map<String, QueuedMessage> messages = new HashMap<>();
            for (Row row : rows) {
                Recipient r = recipients.computeIfAbsent(row.getLong("id"), id -> RecipientRows.recipient(row));
                recorded.add(Reported.key(r.id, row.getString("recorded_delivery_id")));
                messages.computeIfAbsent(r.queueId, id -> message(id, row));
            }
            return new Loaded(recorded, recipients, messages);
        });
    }

    /** The message facts {@link #transition} needs. */
    private static QueuedMessage message(String queueId, Row row) {
        QueuedMessage m = new QueuedMessage();
        m.queueId = queueId;
        m.mailFrom = row.getString("mail_from");
        m.authUser = row.getString("auth_user");
        m.dsn = row.getBoolean("is_dsn");
        m.receivedAt = row.getOffsetDateTime("received_at").toInstant();
        return m;
    }

    private static Uni<Void> update(SqlConnection conn, Collection<Recipient> changed) {
        if (changed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = changed.size();
        Long[] id = new Long[n];
        String[] state = new String[n], enhanced = new String[n], diag = new String[n], mta = new String[n],
                dsn = new String[n];
        Integer[] attempts = new Integer[n], reply = new Integer[n];
        OffsetDateTime[] next = new OffsetDateTime[n], last = new OffsetDateTime[n], updated = new OffsetDateTime[n];
        int i = 0;
        for (Recipient r : changed) {
            id[i] = r.id;
            state[i] = r.state.dbValue();
            attempts[i] = r.attempts;
            next[i] = utc(r.nextAttemptAt);
            last[i] = utc(r.lastAttemptAt);
            reply[i] = r.replyCode;
            enhanced[i] = r.enhancedCode;
            diag[i] = r.diagnostic;
            mta[i] = r.remoteMta;
            dsn[i] = r.dsnPending;
            updated[i] = utc(r.updatedAt);
            i++;
        }
        Tuple args = Tuple.from(List.of(id, state, attempts, next, last, reply, enhanced, diag, mta, dsn, updated));
        return conn.preparedQuery(UPDATE_RECIPIENTS).execute(args).replaceWithVoid();
    }

    private static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    /** Applies one recorded result to {@code r}; false when the recipient was final already (recorded only). */
    private boolean transition(QueuedMessage m, Recipient r, DeliveryResult result, RecipientResult rr, Instant finished,
            Set<String> owed) {
        metrics.resultApplied(rr.status());
        if (r.state.isFinal()) {
            QueueIdLog.infof(LOG, "queueId=%s rcpt=<%s> already %s, late %s result recorded only", m.queueId, r.address,
                    r.state.dbValue(), rr.status());
            return false;
        }
        Instant now = Instant.now();
        r.attempts = Math.max(r.attempts, result.attempt());
        r.lastAttemptAt = finished;
        r.replyCode = rr.replyCode() == 0 ? null : rr.replyCode();
        r.enhancedCode = rr.enhancedCode();
        r.diagnostic = rr.diagnostic();
        r.remoteMta = rr.remoteMta();
        r.updatedAt = now;
        switch (rr.status()) {
            case DELIVERED -> {
                r.state = RecipientState.DELIVERED;
                r.nextAttemptAt = null;
                if (m.dsnAllowed() && r.wants(Notify.SUCCESS)) {
                    owe(r, DsnAction.RELAYED, owed);
                }
            }
            case FAILED -> {
                r.state = RecipientState.BOUNCED;
                r.nextAttemptAt = null;
                fail(m, r, owed);
            }
            case DEFERRED -> {
                if (!m.receivedAt.plus(config.retry().maxLifetime()).isAfter(now)) {
                    r.state = RecipientState.EXPIRED;
                    r.nextAttemptAt = null;
                    metrics.expired();
                    fail(m, r, owed);
                } else if (r.state == RecipientState.HELD) {
                    r.nextAttemptAt = null; // stays on hold until an operator releases it
                } else {
                    r.state = RecipientState.DEFERRED;
                    Backoff backoff = new Backoff(config.retry().initialBackoff(), config.retry().maxBackoff());
                    r.nextAttemptAt = now.plus(backoff.after(r.attempts));
                }
            }
        }
        // DEBUG: the delivery service logs the Postfix-style line per recipient; this one would double it
        QueueIdLog.debugf(LOG, "queueId=%s rcpt=<%s> %s attempt=%d %s %s (%s)%s", m.queueId, r.address, r.state.dbValue(),
                result.attempt(), rr.replyCode(), rr.enhancedCode(), rr.diagnostic(),
                r.nextAttemptAt == null ? "" : " next=" + r.nextAttemptAt);
        return true;
    }

    private void fail(QueuedMessage m, Recipient r, Set<String> owed) {
        if (m.dsnAllowed()) {
            if (r.wants(Notify.FAILURE)) {
                owe(r, DsnAction.FAILED, owed);
            }
        } else {
            metrics.dsnSuppressed(m.nullSender() || m.dsn ? "bounce-of-bounce" : "unauthenticated");
            QueueIdLog.infof(LOG, "queueId=%s rcpt=<%s> %s: no DSN for sender <%s> (%s)", m.queueId, r.address, r.state.dbValue(),
                    m.mailFrom, m.nullSender() || m.dsn ? "never bounce a bounce" : "sender did not authenticate");
        }
    }

    private static void owe(Recipient r, DsnAction action, Set<String> owed) {
        r.dsnPending = action.name();
        owed.add(r.queueId);
    }
}
