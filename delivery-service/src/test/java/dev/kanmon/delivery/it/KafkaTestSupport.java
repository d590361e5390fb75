package dev.kanmon.delivery.it;

import dev.kanmon.core.queue.DeliveryRecipient;
import dev.kanmon.core.queue.DeliveryRequest;
import dev.kanmon.core.queue.DeliveryResult;
import dev.kanmon.core.queue.EnvelopeRecipient;
import dev.kanmon.core.queue.QueueId;
import dev.kanmon.core.queue.Topics;
import dev.kanmon.core.queue.WireCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Talks to the real local Kafka the way queue-service does: produces requests to the test outbound topic
 * and reads results from the test results topic, starting at the end so that only new results are seen.
 */
public final class KafkaTestSupport implements AutoCloseable {

    public static final String BOOTSTRAP = "127.0.0.1:19092";
    public static final String OUTBOUND = "test." + Topics.OUTBOUND;
    public static final String RESULTS = "test." + Topics.RESULTS;
    private static final AtomicLong RECIPIENT_IDS = new AtomicLong(System.currentTimeMillis());

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<DeliveryResult> seen = new ArrayList<>();

    public KafkaTestSupport() {
        createTopics();
        Properties p = new Properties();
        p.put("bootstrap.servers", BOOTSTRAP);
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        Properties c = new Properties();
        c.put("bootstrap.servers", BOOTSTRAP);
        c.put("group.id", "delivery-test-reader-" + UUID.randomUUID());
        c.put("enable.auto.commit", "false");
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(RESULTS).stream()
                .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end offsets now, before anything is produced
    }

    private static void createTopics() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", BOOTSTRAP))) {
            for (String topic : List.of(OUTBOUND, RESULTS)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        } catch (Exception e) {
            if (e instanceof IllegalStateException ise) {
                throw ise;
            }
            throw new IllegalStateException(e);
        }
    }

    public static DeliveryRequest request(String mailFrom, String domain, List<EnvelopeRecipient> recipients, long size) {
        List<DeliveryRecipient> rcpts = recipients.stream()
                .map(r -> new DeliveryRecipient(RECIPIENT_IDS.incrementAndGet(), r)).toList();
        return new DeliveryRequest(QueueId.next(), QueueId.next(), mailFrom, domain, rcpts, null, false, null, null, 1, size);
    }

    public void send(DeliveryRequest request, byte[] message) throws Exception {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(OUTBOUND, request.domain(), message);
        record.headers().add(Topics.DELIVERY_HEADER, WireCodec.encode(request));
        producer.send(record).get(30, TimeUnit.SECONDS);
    }

    /** Polls the results topic until the result of {@code deliveryId} shows up. */
    public DeliveryResult awaitResult(String deliveryId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<DeliveryResult> found = seen.stream().filter(r -> r.deliveryId().equals(deliveryId)).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                DeliveryResult result = WireCodec.decode(r.value(), DeliveryResult.class);
                if (!r.key().equals(result.queueId())) {
                    throw new AssertionError("result key " + r.key() + " is not its queue id " + result.queueId());
                }
                seen.add(result);
            }
        }
        throw new AssertionError("no result for delivery " + deliveryId + " within " + timeout);
    }

    @Override
    public void close() {
        producer.close();
        consumer.close();
    }
}
