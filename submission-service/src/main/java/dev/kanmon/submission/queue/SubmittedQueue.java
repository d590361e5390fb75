package dev.kanmon.submission.queue;

import dev.kanmon.core.queue.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The one Kafka producer of the service, writing accepted messages to the submitted topic. A returned
 * future succeeds only once the broker acknowledged the record with {@code acks=all}.
 *
 * <p>The producer starts from Quarkus's {@code default-kafka-broker} map, i.e. every {@code kafka.*} property
 * ({@code KAFKA_*} in the environment): the connection's security ({@code security.protocol}, {@code sasl.*},
 * {@code ssl.*}) comes from there, as for the other services' Kafka clients. The settings of
 * {@link QueueConfig} (bootstrap servers, acknowledgement, batching, limits) are put on top of it.
 */
@Startup
@ApplicationScoped
public class SubmittedQueue {

    private final QueueConfig config;
    private final Map<String, Object> kafka;
    private final Vertx vertx;
    private final Timer acknowledged;
    private final Timer failed;
    private KafkaProducer<String, byte[]> producer;
    /** Set once a send has been acknowledged: the topic's metadata is cached and a send no longer blocks on it. */
    private volatile boolean metadataKnown;

    @Inject
    SubmittedQueue(QueueConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka, Vertx vertx,
            MeterRegistry registry) {
        this.config = config;
        this.kafka = kafka;
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
        producer = new KafkaProducer<>(producerProperties(kafka, config), new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * The producer's configuration: the {@code kafka.*} properties ({@code kafka}: the {@code default-kafka-broker}
     * map), then this producer's own settings, which win over a {@code kafka.*} property of the same name (no
     * global {@code kafka.acks} can weaken {@code acks=all}).
     */
    static Map<String, Object> producerProperties(Map<String, Object> kafka, QueueConfig config) {
        Map<String, Object> p = new HashMap<>(kafka);
        // Quarkus adds the application name as group.id for consumers; a producer has no group
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.compression());
        p.put(ProducerConfig.LINGER_MS_CONFIG, (int) config.linger().toMillis());
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, config.batchSize());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, config.maxRequestSize());
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, config.bufferMemory());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) config.maxBlock().toMillis());
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) config.requestTimeout().toMillis());
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) config.deliveryTimeout().toMillis());
        return p;
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
