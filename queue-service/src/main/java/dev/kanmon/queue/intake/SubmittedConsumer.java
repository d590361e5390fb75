package dev.kanmon.queue.intake;

import dev.kanmon.core.queue.Envelope;
import dev.kanmon.core.queue.Topics;
import dev.kanmon.core.queue.WireCodec;
import dev.kanmon.queue.dispatch.OnContext;
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
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes accepted messages in batches (one poll at a time per partition consumer). The connector commits a
 * batch's offsets only after the returned Uni succeeds, i.e. after the messages are in PostgreSQL and their
 * delivery requests are acknowledged by Kafka.
 */
@ApplicationScoped
public class SubmittedConsumer {

    private static final Logger LOG = Logger.getLogger(SubmittedConsumer.class);

    @Inject
    Intake intake;

    @Inject
    QueueMetrics metrics;

    @Incoming("submitted")
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> records) {
        List<Submission> batch = new ArrayList<>(records.getRecords().size());
        for (KafkaRecord<String, byte[]> record : records) {
            Submission s = decode(record);
            if (s != null) {
                batch.add(s);
            }
        }
        // PostgreSQL or Kafka being down must not lose or skip messages: retry until it works, holding the offsets
        return OnContext.retryable(() -> intake.accept(batch))
                .onFailure().invoke(e -> LOG.warnf("intake of %d message(s) failed, retrying: %s", batch.size(), e.toString()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).indefinitely()
                .chain(() -> Uni.createFrom().completionStage(records.ack()));
    }

    private Submission decode(KafkaRecord<String, byte[]> record) {
        Header header = record.getHeaders().lastHeader(Topics.ENVELOPE_HEADER);
        try {
            if (header == null || record.getPayload() == null) {
                throw new IllegalArgumentException("no " + Topics.ENVELOPE_HEADER + " header or no value");
            }
            Envelope envelope = WireCodec.decode(header.value(), Envelope.class);
            if (envelope.queueId() == null || envelope.recipients().isEmpty()) {
                throw new IllegalArgumentException("envelope without queue id or recipients");
            }
            return new Submission(envelope, record.getPayload(), record.getTopic(), record.getPartition(), offsetOf(record));
        } catch (RuntimeException e) {
            // a record that can never be decoded would block the partition forever: log it and move on
            metrics.rejectedRecord(record.getTopic());
            LOG.errorf("skipping undecodable record %s-%d@%d key=%s: %s", record.getTopic(), record.getPartition(),
                    offsetOf(record), record.getKey(), e.getMessage());
            return null;
        }
    }

    private static long offsetOf(KafkaRecord<String, byte[]> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset).orElse(-1L);
    }
}
