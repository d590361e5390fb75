package dev.kanmon.queue.results;

import dev.kanmon.core.queue.DeliveryResult;
import dev.kanmon.core.queue.WireCodec;
import dev.kanmon.queue.dispatch.OnContext;
import dev.kanmon.queue.dsn.DsnService;
import dev.kanmon.queue.metrics.QueueMetrics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes delivery results in batches; offsets are committed once the new states are committed in PostgreSQL.
 * DSNs owed by the batch are then sent right away (best effort: the scheduler sends whatever is left over).
 */
@ApplicationScoped
public class ResultsConsumer {

    private static final Logger LOG = Logger.getLogger(ResultsConsumer.class);

    @Inject
    ResultApplier applier;

    @Inject
    DsnService dsn;

    @Inject
    QueueMetrics metrics;

    @Incoming("results")
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> records) {
        List<DeliveryResult> results = new ArrayList<>(records.getRecords().size());
        for (KafkaRecord<String, byte[]> record : records) {
            try {
                results.add(WireCodec.decode(record.getPayload(), DeliveryResult.class));
            } catch (RuntimeException e) {
                metrics.rejectedRecord(record.getTopic());
                LOG.errorf("skipping undecodable result %s-%d@%d key=%s: %s", record.getTopic(), record.getPartition(),
                        offsetOf(record), record.getKey(), e.getMessage());
            }
        }
        return OnContext.retryable(() -> applier.apply(results))
                .onFailure().invoke(e -> LOG.warnf("applying %d result(s) failed, retrying: %s", results.size(), e.toString()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).indefinitely()
                .chain(owed -> owed.isEmpty() ? Uni.createFrom().voidItem() : dsn.flush(owed)
                        .onFailure().invoke(e -> LOG.warnf("sending DSNs failed, the scheduler will retry: %s", e.toString()))
                        .onFailure().recoverWithNull().replaceWithVoid())
                .chain(() -> Uni.createFrom().completionStage(records.ack()));
    }

    private static long offsetOf(KafkaRecord<String, byte[]> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset).orElse(-1L);
    }
}
