package dev.kanmon.delivery.worker;

import dev.kanmon.core.queue.DeliveryRequest;
import dev.kanmon.core.queue.DeliveryResult;
import dev.kanmon.core.queue.Topics;
import dev.kanmon.core.queue.WireCodec;
import dev.kanmon.delivery.config.DeliveryConfig;
import dev.kanmon.delivery.metrics.DeliveryMetrics;
import dev.kanmon.delivery.schedule.FairScheduler;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

/**
 * Consumes {@value Topics#OUTBOUND}, hands each record to the {@link FairScheduler} (which delivers up to
 * {@code kanmon.delivery.concurrency} at a time and lets up to {@code kanmon.delivery.backlog.max-waiting} more wait
 * for a slot) and produces one {@link DeliveryResult} per record to {@value Topics#RESULTS} (key = queue id). The
 * input record is acknowledged only when the broker has acknowledged its result; the throttled commit strategy
 * then commits an offset only once every record before it is acknowledged too, so a crash re-delivers
 * unfinished work, waiting records included, instead of losing it.
 */
@ApplicationScoped
public class OutboundProcessor {

    private static final Logger LOG = Logger.getLogger(OutboundProcessor.class);

    private final FairScheduler scheduler;
    private final CompletedDeliveries completed;
    private final DeliveryMetrics metrics;
    private final int held;

    public OutboundProcessor(FairScheduler scheduler, CompletedDeliveries completed, DeliveryMetrics metrics,
            DeliveryConfig config) {
        this.scheduler = scheduler;
        this.completed = completed;
        this.metrics = metrics;
        this.held = config.concurrency() + config.backlog().maxWaiting();
    }

    @Incoming("outbound")
    @Outgoing("results")
    public Multi<Message<byte[]>> process(Multi<Message<byte[]>> records) {
        return records.onItem().transformToMulti(record -> handle(record).toMulti()).merge(held);
    }

    private Uni<Message<byte[]>> handle(Message<byte[]> record) {
        DeliveryRequest request;
        IncomingKafkaRecordMetadata<String, byte[]> meta;
        try {
            meta = metadata(record);
            request = decode(record, meta);
        } catch (RuntimeException e) {
            // nothing to report to: without a request there is no queue id; skip it, counted and logged
            metrics.malformedRequest();
            LOG.errorf("skipping an outbound record without a valid %s header: %s", Topics.DELIVERY_HEADER, e.getMessage());
            return Uni.createFrom().completionStage(record.ack()).replaceWith((Message<byte[]>) null);
        }
        if (completed.contains(request.deliveryId())) {
            // read again after a rebalance; its result is on the results topic already
            LOG.debugf("delivery %s of %s already finished here: skipped", request.deliveryId(), request.queueId());
            return Uni.createFrom().completionStage(record.ack()).replaceWith((Message<byte[]>) null);
        }
        TopicPartition source = new TopicPartition(meta.getTopic(), meta.getPartition());
        return Uni.createFrom().completionStage(() -> scheduler.submit(request, record.getPayload(), source).toCompletionStage())
                .onFailure(FairScheduler.Withdrawn.class).recoverWithNull()
                .onItem().ifNotNull().transform(result -> Message.of(WireCodec.encode(result),
                        Metadata.of(OutgoingKafkaRecordMetadata.<String>builder().withKey(result.queueId()).build()),
                        () -> {
                            completed.add(result.deliveryId());
                            return record.ack();
                        }, (Throwable failure) -> record.nack(failure)));
    }

    @SuppressWarnings("unchecked")
    private static IncomingKafkaRecordMetadata<String, byte[]> metadata(Message<byte[]> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalArgumentException("not a Kafka record"));
    }

    private static DeliveryRequest decode(Message<byte[]> record, IncomingKafkaRecordMetadata<String, byte[]> meta) {
        Header header = meta.getHeaders().lastHeader(Topics.DELIVERY_HEADER);
        if (header == null) {
            throw new IllegalArgumentException("header missing at " + meta.getTopic() + "-" + meta.getPartition() + "@" + meta.getOffset());
        }
        if (record.getPayload() == null) {
            throw new IllegalArgumentException("empty message at " + meta.getTopic() + "-" + meta.getPartition() + "@" + meta.getOffset());
        }
        return WireCodec.decode(header.value(), DeliveryRequest.class);
    }
}
