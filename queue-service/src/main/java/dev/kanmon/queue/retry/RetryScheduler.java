package dev.kanmon.queue.retry;

import dev.kanmon.core.log.QueueIdLog;
import dev.kanmon.core.queue.DeliveryRequest;
import dev.kanmon.queue.config.QueueConfig;
import dev.kanmon.queue.dispatch.DeliveryPlanner;
import dev.kanmon.queue.dispatch.OutboundPublisher;
import dev.kanmon.queue.dsn.DsnService;
import dev.kanmon.queue.metrics.QueueMetrics;
import dev.kanmon.queue.store.BodyStore;
import dev.kanmon.queue.store.DsnAction;
import dev.kanmon.queue.store.QueuedMessage;
import dev.kanmon.queue.store.Recipient;
import dev.kanmon.queue.store.RecipientState;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Re-publishes due deferred recipients from PostgreSQL. Each pass claims up to {@code batch-size} rows with
 * {@code SELECT … FOR UPDATE SKIP LOCKED}, publishes their delivery requests and marks them delivering in the
 * same transaction: replicas never claim the same row, and a crash before the commit leaves the rows deferred
 * for the next pass (the requests may then be published twice, never lost). The same pass marks delay warnings
 * and sends DSNs left in the outbox.
 */
@ApplicationScoped
public class RetryScheduler {

    private static final Logger LOG = Logger.getLogger(RetryScheduler.class);

    private static final String CLAIM_DUE = """
            select r.id from queue.recipient r join queue.message m on m.queue_id = r.queue_id
             where r.state = 'deferred' and r.next_attempt_at <= :now and m.intake_topic = :topic
             order by r.next_attempt_at
             limit :limit
             for update of r skip locked""";

    // one UPDATE: concurrent replicas serialise on the row locks and the loser no longer matches "not delay_warned"
    private static final String MARK_DELAY_WARNINGS = """
            update queue.recipient r set dsn_pending = :action, delay_warned = true
              from queue.message m
             where m.queue_id = r.queue_id and m.intake_topic = :topic
               and r.state = 'deferred' and not r.delay_warned and r.dsn_pending is null
               and m.received_at <= :cutoff
               and not m.is_dsn and m.mail_from <> '' and m.auth_user is not null
               and (r.notify = '' or r.notify like '%DELAY%')""";

    private static final String PRUNE_QUOTA = "delete from queue.dsn_quota where window_start < :before";

    @Inject
    QueueConfig config;

    @Inject
    OutboundPublisher publisher;

    @Inject
    BodyStore bodies;

    @Inject
    DsnService dsn;

    @Inject
    QueueMetrics metrics;

    @Scheduled(every = "${kanmon.queue.retry.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> pass() {
        return retryDue()
                .chain(this::markDelayWarnings)
                .chain(dsn::flushAll)
                .chain(this::pruneQuota)
                .onFailure().invoke(e -> LOG.warnf("scheduler pass failed, next pass retries: %s", e.toString()))
                .onFailure().recoverWithNull();
    }

    /** Claims and re-publishes one batch of due recipients; returns how many were re-published. */
    public Uni<Integer> retryDue() {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(s -> s.createNativeQuery(CLAIM_DUE, Long.class)
                        .setParameter("now", Instant.now().atOffset(ZoneOffset.UTC))
                        .setParameter("topic", config.topics().submitted())
                        .setParameter("limit", config.retry().batchSize())
                        .getResultList())
                .chain(ids -> ids.isEmpty() ? Uni.createFrom().item(List.<Recipient>of())
                        : Recipient.<Recipient>list("id in ?1 order by queueId, position", ids))
                .chain(this::republish));
    }

    private Uni<Integer> republish(List<Recipient> due) {
        if (due.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        Map<String, List<Recipient>> byMessage = new LinkedHashMap<>();
        for (Recipient r : due) {
            byMessage.computeIfAbsent(r.queueId, id -> new ArrayList<>()).add(r);
        }
        // one message at a time: only one body is in memory per replica and pass
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (List<Recipient> rcpts : byMessage.values()) {
            chain = chain.chain(() -> republishMessage(rcpts));
        }
        return chain.invoke(() -> {
            metrics.retriesPublished(due.size());
            LOG.infof("retried %d recipient(s) of %d message(s)", due.size(), byMessage.size());
        }).replaceWith(due.size());
    }

    private Uni<Void> republishMessage(List<Recipient> rcpts) {
        String queueId = rcpts.get(0).queueId;
        return QueuedMessage.<QueuedMessage>findById(queueId)
                .chain(m -> bodies.body(m).chain(body -> {
                    if (body == null) {
                        expireWithoutBody(m, rcpts);
                        return Uni.createFrom().voidItem();
                    }
                    List<DeliveryRequest> requests = DeliveryPlanner.plan(m, rcpts);
                    Instant now = Instant.now();
                    for (Recipient r : rcpts) {
                        r.state = RecipientState.DELIVERING;
                        r.nextAttemptAt = null;
                        r.lastAttemptAt = now;
                        r.updatedAt = now;
                    }
                    QueueIdLog.debugf(LOG, "queueId=%s retrying %d recipient(s), attempt %d", queueId, rcpts.size(),
                            requests.get(0).attempt());
                    return publisher.publish(requests, body);
                }));
    }

    /**
     * The record holding the body has left the submitted topic (held by an operator for longer than its retention):
     * the message can never be sent, so its recipients expire and the sender is told, as for any expiry.
     */
    private void expireWithoutBody(QueuedMessage m, List<Recipient> rcpts) {
        Instant now = Instant.now();
        String why = "message content no longer in the queue (past the retention of " + m.intakeTopic + ")";
        for (Recipient r : rcpts) {
            r.finishLocally(RecipientState.EXPIRED, "4.4.7", why, m.dsnAllowed(), now);
            metrics.expired();
        }
        QueueIdLog.warnf(LOG, "queueId=%s body gone from %s-%d@%d: %d recipient(s) expired", m.queueId, m.intakeTopic,
                m.intakePartition, m.intakeOffset, rcpts.size());
    }

    private Uni<Void> markDelayWarnings() {
        Instant cutoff = Instant.now().minus(config.dsn().delayWarningAfter());
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery(MARK_DELAY_WARNINGS)
                        .setParameter("action", DsnAction.DELAYED.name())
                        .setParameter("topic", config.topics().submitted())
                        .setParameter("cutoff", cutoff.atOffset(ZoneOffset.UTC))
                        .executeUpdate()))
                .invoke(n -> {
                    if (n > 0) {
                        LOG.infof("%d recipient(s) owe a delay warning", n);
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Void> pruneQuota() {
        Instant before = Instant.now().minus(config.dsn().rateWindow().multipliedBy(2));
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery(PRUNE_QUOTA)
                .setParameter("before", before.atOffset(ZoneOffset.UTC))
                .executeUpdate())).replaceWithVoid();
    }
}
