package dev.kanmon.queue.store;

import dev.kanmon.queue.config.QueueConfig;
import dev.kanmon.queue.dispatch.OnContext;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Message bodies for retries and DSNs. The intake keeps no copy: the body is read back from the record the message
 * arrived in (topic, partition and offset on the message row) by a consumer of its own that is assigned the
 * partition and seeks to the offset (no consumer group, nothing committed). Rows queued before that keep their
 * {@link MessageBody}. The topic's retention exceeds {@code kanmon.queue.retry.max-lifetime} (docs/queue.md), so a
 * record is only gone for a message held by an operator for longer than that.
 */
@ApplicationScoped
public class BodyStore {

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @Inject
    QueueConfig config;

    // KafkaConsumer is not thread-safe: one thread owns it and reads one record at a time (retries and DSNs
    // already go one message at a time, so that only one body is in memory)
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kanmon-body-reader");
        t.setDaemon(true);
        return t;
    });

    private KafkaConsumer<String, byte[]> consumer;

    @PostConstruct
    void open() {
        Map<String, Object> props = new HashMap<>(kafka);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "queue-service-body-reader");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // an offset before the log start means the record is gone; never silently read another one
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        thread.execute(() -> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer()));
    }

    @PreDestroy
    void close() {
        thread.execute(() -> {
            if (consumer != null) {
                consumer.close(Duration.ofSeconds(2));
            }
        });
        thread.shutdown();
    }

    /**
     * The raw message of {@code m}, or null when it no longer exists (past the topic's retention). Fails when Kafka
     * does not answer within {@code kanmon.queue.body.read-timeout}: the caller retries later. Must be called
     * inside a Hibernate Reactive session (rows with a {@link MessageBody}); completes on the caller's context.
     */
    public Uni<byte[]> body(QueuedMessage m) {
        if (m.intakeOffset == null) {
            return MessageBody.<MessageBody>findById(m.queueId).map(b -> b == null ? null : b.body);
        }
        TopicPartition tp = new TopicPartition(m.intakeTopic, m.intakePartition);
        long offset = m.intakeOffset;
        return OnContext.resumeHere(Uni.createFrom().item(() -> read(tp, offset)).runSubscriptionOn(thread));
    }

    private byte[] read(TopicPartition tp, long offset) {
        Duration timeout = config.body().readTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        consumer.assign(List.of(tp));
        consumer.seek(tp, offset);
        try {
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200)).records(tp)) {
                    if (r.offset() >= offset) {
                        return r.offset() == offset ? r.value() : null;
                    }
                }
            }
        } catch (OffsetOutOfRangeException e) {
            return null;
        }
        throw new IllegalStateException(new TimeoutException("no record " + tp + "@" + offset + " within " + timeout));
    }
}
