package dev.kanmon.queue;

import dev.kanmon.core.queue.DeliveryRequest;
import dev.kanmon.core.queue.DeliveryResult;
import dev.kanmon.core.queue.Envelope;
import dev.kanmon.core.queue.Topics;
import dev.kanmon.core.queue.WireCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/** Plain Kafka clients for tests: produce to the test topics, read them back filtered by queue id. */
public final class TestKafka {

    public static final String SUBMITTED = "test.relay.submitted.v1";
    public static final String OUTBOUND = "test.relay.outbound.v1";
    public static final String RESULTS = "test.relay.results.v1";
    public static final String GROUP = "queue-service-test";

    private TestKafka() {
    }

    static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    public static RecordMetadata submit(Envelope envelope, byte[] body) throws Exception {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(SUBMITTED, envelope.queueId(), body);
        record.headers().add(Topics.ENVELOPE_HEADER, WireCodec.encode(envelope));
        return send(record);
    }

    public static RecordMetadata result(DeliveryResult result) throws Exception {
        return send(new ProducerRecord<>(RESULTS, result.queueId(), WireCodec.encode(result)));
    }

    private static RecordMetadata send(ProducerRecord<String, byte[]> record) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            return producer.send(record).get();
        }
    }

    /** Every record of {@code topic} from the beginning that matches. */
    public static List<ConsumerRecord<String, byte[]>> read(String topic, Predicate<ConsumerRecord<String, byte[]>> filter) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (filter.test(r)) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    public static List<DeliveryRequest> deliveryRequests(String queueId) {
        return read(OUTBOUND, r -> true).stream()
                .map(r -> WireCodec.decode(header(r, Topics.DELIVERY_HEADER), DeliveryRequest.class))
                .filter(d -> d.queueId().equals(queueId)).toList();
    }

    public static byte[] header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : h.value();
    }

    /** Whether the test consumer group has committed past {@code offset} of the partition the record went to. */
    public static boolean committedPast(RecordMetadata meta) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (Admin admin = Admin.create(p)) {
            TopicPartition tp = new TopicPartition(meta.topic(), meta.partition());
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata().get().get(tp);
            return committed != null && committed.offset() > meta.offset();
        }
    }
}
