package dev.kanmon.submission.queue;

import dev.kanmon.core.queue.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The one Kafka producer of the service, writing accepted messages to the submitted topic. A returned
 * future succeeds only once the broker acknowledged the record with {@code acks=all}.
 */
@Startup
@ApplicationScoped
public class SubmittedQueue {

    private final QueueConfig config;
    private final Vertx vertx;
    private final Timer acknowledged;
    private final Timer failed;
    private KafkaProducer<String, byte[]> producer;
    /** Set once a send has been acknowledged: the topic's metadata is cached and a send no longer blocks on it. */
    private volatile boolean metadataKnown;

    @Inject
    SubmittedQueue(QueueConfig config, Vertx vertx, MeterRegistry registry) {
        this.config = config;
        this.vertx = vertx;
        this.acknowledged = ackTimer(registry, "acknowledged");
        this.failed = ackTimer(registry, "failed");
    }

    private static Timer ackTimer(MeterRegistry registry, String result) {
        return Timer.builder("kanmon.submission.queue.ack")
                .description("Time from handing a message to the Kafka producer to the broker's answer")
                .tag("result", result)
                .publishPercentileHistogram()
                .register(registry);
    }

    @PostConstruct
    void open() {
        producer = new KafkaProducer<>(Map.<String, Object>ofEntries(
                        Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()),
                        Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                        Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                        Map.entry(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.compression()),
                        Map.entry(ProducerConfig.LINGER_MS_CONFIG, (int) config.linger().toMillis()),
                        Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, config.batchSize()),
                        Map.entry(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, config.maxRequestSize()),
                        Map.entry(ProducerConfig.BUFFER_MEMORY_CONFIG, config.bufferMemory()),
                        Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) config.maxBlock().toMillis()),
                        Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) config.requestTimeout().toMillis()),
                        Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) config.deliveryTimeout().toMillis())),
                new StringSerializer(), new ByteArraySerializer());
    }

    @PreDestroy
    void close() {
        // Records already handed over were promised a reply: give them their acknowledgement first.
        producer.flush();
        producer.close(config.closeTimeout());
    }

    /** The largest message (bytes) that is prepared and handed to the producer on the event loop. */
    public int inlineMaxBytes() {
        return config.inlineMaxBytes();
    }

    /** The topic records go to. */
    public String topic() {
        return config.topic();
    }

    /**
     * Produces one accepted message. Safe to call from an event loop: a small record is handed to the producer right
     * there (the producer only appends it to a batch once the topic's metadata is known); a large one, or any before
     * the metadata is known, goes through a worker because {@code send} compresses in the calling thread and can
     * wait up to {@code max-block}. The broker's answer is delivered back on the calling context.
     *
     * @param queueId  record key
     * @param message  record value: the message bytes after fix-ups
     * @param envelope JSON envelope for the {@value Topics#ENVELOPE_HEADER} header
     */
    public Future<RecordMetadata> publish(String queueId, byte[] message, byte[] envelope) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(config.topic(), queueId, message);
        record.headers().add(Topics.ENVELOPE_HEADER, envelope);
        Context caller = vertx.getOrCreateContext();
        Promise<RecordMetadata> answer = Promise.promise();
        if (metadataKnown && message.length <= config.inlineMaxBytes()) {
            try {
                send(record, caller, answer);
            } catch (RuntimeException e) {
                answer.tryFail(e);
            }
        } else {
            caller.executeBlocking(() -> send(record, caller, answer), false).onFailure(answer::tryFail);
        }
        return answer.future();
    }

    private Object send(ProducerRecord<String, byte[]> record, Context caller, Promise<RecordMetadata> answer) {
        Timer.Sample sample = Timer.start();
        // The callback runs on the producer I/O thread: hop back to the caller's context.
        return producer.send(record, (metadata, error) -> caller.runOnContext(v -> {
            if (error == null) {
                metadataKnown = true;
                sample.stop(acknowledged);
                answer.complete(metadata);
            } else {
                sample.stop(failed);
                answer.fail(error);
            }
        }));
    }
}
