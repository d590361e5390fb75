package dev.kanmon.queue.intake;

import dev.kanmon.core.log.QueueIdLog;
import dev.kanmon.core.queue.DeliveryRequest;
import dev.kanmon.core.queue.EnvelopeRecipient;
import dev.kanmon.queue.dispatch.DeliveryPlanner;
import dev.kanmon.queue.dispatch.OutboundPublisher;
import dev.kanmon.queue.metrics.QueueMetrics;
import dev.kanmon.queue.store.MessageBody;
import dev.kanmon.queue.store.QueuedMessage;
import dev.kanmon.queue.store.Recipient;
import dev.kanmon.queue.store.RecipientState;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Takes a batch of submitted messages into the queue: persist (idempotently), publish one delivery request per
 * recipient domain, mark the recipients delivering. The caller commits the Kafka offsets only after this completes,
 * so a crash at any step replays the batch: existing messages are not duplicated and recipients still
 * {@code queued} are published again (at-least-once towards the delivery service).
 */
@ApplicationScoped
public class Intake {

    private static final Logger LOG = Logger.getLogger(Intake.class);

    @Inject
    OutboundPublisher publisher;

    @Inject
    QueueMetrics metrics;

    /** One planned publication: the requests of one message and the bytes they carry. */
    private record Dispatch(List<DeliveryRequest> requests, byte[] body) {
    }

    public Uni<Void> accept(List<Submission> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> persistAll(batch))
                .chain(dispatches -> publishAll(dispatches).replaceWith(dispatches))
                .chain(dispatches -> Panache.withTransaction(() -> markDelivering(dispatches)));
    }

    private Uni<List<Dispatch>> persistAll(List<Submission> batch) {
        List<Dispatch> dispatches = new ArrayList<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Submission s : batch) {
            chain = chain.chain(() -> persistOne(s)).invoke(d -> {
                if (d != null) {
                    dispatches.add(d);
                }
            }).replaceWithVoid();
        }
        return chain.replaceWith(dispatches);
    }

    private Uni<Dispatch> persistOne(Submission s) {
        String queueId = s.envelope().queueId();
        return QueuedMessage.<QueuedMessage>findById(queueId).chain(existing -> {
            if (existing != null) {
                // redelivered record: only recipients whose request may not have gone out are published again
                return Recipient.<Recipient>list("queueId = ?1 and state = ?2", queueId, RecipientState.QUEUED)
                        .map(queued -> {
                            QueueIdLog.infof(LOG, "queueId=%s redelivered, %d recipient(s) still queued", queueId, queued.size());
                            return dispatch(existing, queued, s.body());
                        });
            }
            Instant now = Instant.now();
            QueuedMessage message = QueuedMessage.of(s.envelope(), s.topic(), now);
            Instant notBefore = s.envelope().notBefore();
            boolean later = notBefore != null && notBefore.isAfter(now);
            List<Recipient> recipients = new ArrayList<>();
            List<EnvelopeRecipient> rcpts = s.envelope().recipients();
            for (int i = 0; i < rcpts.size(); i++) {
                Recipient r = Recipient.of(queueId, i, rcpts.get(i),
                        later ? RecipientState.DEFERRED : RecipientState.QUEUED, now);
                r.nextAttemptAt = later ? notBefore : null;
                recipients.add(r);
            }
            return message.persist()
                    .chain(() -> MessageBody.of(queueId, s.body()).persist())
                    .chain(() -> Recipient.persist(recipients))
                    .map(ignored -> {
                        metrics.intaken(message.dsn);
                        QueueIdLog.infof(LOG, "queueId=%s queued from=<%s> user=%s rcpts=%d size=%d%s", queueId, message.mailFrom,
                                message.authUser, recipients.size(), message.size, later ? " not-before=" + notBefore : "");
                        return later ? null : dispatch(message, recipients, s.body());
                    });
        });
    }

    private static Dispatch dispatch(QueuedMessage message, List<Recipient> queued, byte[] body) {
        return queued.isEmpty() ? null : new Dispatch(DeliveryPlanner.plan(message, queued), body);
    }

    private Uni<Void> publishAll(List<Dispatch> dispatches) {
        List<Uni<Void>> sends = dispatches.stream().map(d -> publisher.publish(d.requests(), d.body())).toList();
        return sends.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(sends).andFailFast().replaceWithVoid();
    }

    private Uni<Void> markDelivering(List<Dispatch> dispatches) {
        Instant now = Instant.now();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Dispatch d : dispatches) {
            for (DeliveryRequest request : d.requests()) {
                // a result may already have been applied (fast delivery); only still-queued rows change
                chain = chain.chain(() -> Recipient.update(
                        "state = ?1, lastAttemptAt = ?2, updatedAt = ?2 where deliveryId = ?3 and state = ?4",
                        RecipientState.DELIVERING, now, request.deliveryId(), RecipientState.QUEUED)).replaceWithVoid();
            }
        }
        return chain;
    }
}
