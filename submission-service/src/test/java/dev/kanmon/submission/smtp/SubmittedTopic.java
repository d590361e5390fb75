package dev.kanmon.submission.smtp;

import static org.awaitility.Awaitility.await;

import dev.kanmon.core.queue.Envelope;
import dev.kanmon.core.queue.Topics;
import dev.kanmon.core.queue.WireCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads accepted messages back from the test topic on the real broker, starting at its current end. */
final class SubmittedTopic implements AutoCloseable {

    static final String BOOTSTRAP = "127.0.0.1:19092";
    static final String TOPIC = "test.relay.submitted.v1";

    private final KafkaConsumer<String, byte[]> consumer;

    SubmittedTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, Optional.empty(), Optional.empty()))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    /** The record queued under {@code queueId}. */
    ConsumerRecord<String, byte[]> record(String queueId) {
        List<ConsumerRecord<String, byte[]>> seen = recordsUpTo(queueId);
        return seen.get(seen.size() - 1);
    }

    /** Every record read from the starting position until the one queued under {@code queueId}, which is last. */
    List<ConsumerRecord<String, byte[]>> recordsUpTo(String queueId) {
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                seen.add(r);
                if (queueId.equals(r.key())) {
                    return true;
                }
            }
            return false;
        });
        return seen;
    }

    static Envelope envelope(ConsumerRecord<String, byte[]> record) throws Exception {
        return WireCodec.decode(record.headers().lastHeader(Topics.ENVELOPE_HEADER).value(), Envelope.class);
    }

    /** The queue id of a {@code 250 2.0.0 Ok: queued as <id>} reply. */
    static String queueId(List<String> reply) {
        String last = reply.get(reply.size() - 1);
        return last.substring(last.lastIndexOf(' ') + 1);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
