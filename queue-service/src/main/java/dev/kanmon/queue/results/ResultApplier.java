package dev.kanmon.queue.results;

import dev.kanmon.core.log.QueueIdLog;
import dev.kanmon.core.queue.DeliveryResult;
import dev.kanmon.core.queue.Notify;
import dev.kanmon.core.queue.RecipientResult;
import dev.kanmon.queue.config.QueueConfig;
import dev.kanmon.queue.metrics.QueueMetrics;
import dev.kanmon.queue.retry.Backoff;
import dev.kanmon.queue.store.DsnAction;
import dev.kanmon.queue.store.QueuedMessage;
import dev.kanmon.queue.store.Recipient;
import dev.kanmon.queue.store.RecipientState;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Applies delivery results to recipient states in one transaction per batch: DELIVERED → delivered,
 * FAILED → bounced, DEFERRED → deferred with the next back-off (or expired past the maximal queue lifetime).
 * Each (recipient, delivery id) is applied once, so redelivered result records change nothing.
 */
@ApplicationScoped
public class ResultApplier {

    private static final Logger LOG = Logger.getLogger(ResultApplier.class);

    private static final String INSERT_ATTEMPT = """
            insert into queue.attempt (recipient_id, delivery_id, attempt, status, reply_code, enhanced_code, diagnostic,
                                 remote_mta, finished_at)
            select :rid, :did, :attempt, :status, :reply, :enhanced, :diag, :mta, :finished
            where exists (select 1 from queue.recipient where id = :rid and queue_id = :qid)
            on conflict (recipient_id, delivery_id) do nothing""";

    @Inject
    QueueConfig config;

    @Inject
    QueueMetrics metrics;

    /**
     * Returns the queue ids of messages that now owe their sender a DSN. A result only applies to a recipient of
     * the message it names, so a stray result (another deployment's, a deleted message's) changes nothing.
     */
    public Uni<Set<String>> apply(List<DeliveryResult> results) {
        Set<String> owed = new LinkedHashSet<>();
        if (results.isEmpty()) {
            return Uni.createFrom().item(owed);
        }
        return Panache.withTransaction(() -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (DeliveryResult result : results) {
                for (RecipientResult rr : result.recipients()) {
                    chain = chain.chain(() -> applyOne(result, rr, owed));
                }
            }
            return chain;
        }).replaceWith(owed);
    }

    private Uni<Void> applyOne(DeliveryResult result, RecipientResult rr, Set<String> owed) {
        Instant finished = result.finishedAt() == null ? Instant.now() : result.finishedAt();
        return Panache.getSession().chain(s -> s.createNativeQuery(INSERT_ATTEMPT)
                        .setParameter("rid", rr.recipientId())
                        .setParameter("qid", result.queueId())
                        .setParameter("did", result.deliveryId())
                        .setParameter("attempt", result.attempt())
                        .setParameter("status", rr.status().name().toLowerCase(Locale.ROOT))
                        .setParameter("reply", rr.replyCode())
                        .setParameter("enhanced", rr.enhancedCode())
                        .setParameter("diag", rr.diagnostic())
                        .setParameter("mta", rr.remoteMta())
                        .setParameter("finished", finished.atOffset(ZoneOffset.UTC))
                        .executeUpdate())
                .chain(inserted -> {
                    if (inserted == 0) {
                        QueueIdLog.debugf(LOG, "queueId=%s duplicate or orphan result %s for recipient %d ignored",
                                result.queueId(), result.deliveryId(), rr.recipientId());
                        return Uni.createFrom().voidItem();
                    }
                    return Recipient.<Recipient>findById(rr.recipientId())
                            .chain(r -> r == null ? Uni.createFrom().voidItem()
                                    : QueuedMessage.<QueuedMessage>findById(r.queueId)
                                            .invoke(m -> transition(m, r, result, rr, finished, owed))
                                            .replaceWithVoid());
                });
    }

    private void transition(QueuedMessage m, Recipient r, DeliveryResult result, RecipientResult rr, Instant finished,
            Set<String> owed) {
        metrics.resultApplied(rr.status());
        if (r.state.isFinal()) {
            QueueIdLog.infof(LOG, "queueId=%s rcpt=<%s> already %s, late %s result recorded only", m.queueId, r.address,
                    r.state.dbValue(), rr.status());
            return;
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
        QueueIdLog.infof(LOG, "queueId=%s rcpt=<%s> %s attempt=%d %s %s (%s)%s", m.queueId, r.address, r.state.dbValue(),
                result.attempt(), rr.replyCode(), rr.enhancedCode(), rr.diagnostic(),
                r.nextAttemptAt == null ? "" : " next=" + r.nextAttemptAt);
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
