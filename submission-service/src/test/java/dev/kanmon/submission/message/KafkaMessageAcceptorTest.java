package dev.kanmon.submission.message;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kanmon.core.queue.Envelope;
import dev.kanmon.core.queue.EnvelopeRecipient;
import dev.kanmon.core.queue.Topics;
import dev.kanmon.core.queue.WireCodec;
import dev.kanmon.submission.queue.QueueConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** The acceptor bean against the real Kafka broker of the local stack. */
@QuarkusTest
class KafkaMessageAcceptorTest {

    @Inject
    MessageAcceptor acceptor;

    @Inject
    QueueConfig queue;

    @Inject
    MeterRegistry registry;

    @Test
    void acknowledgedMessageIsOnTheTopicWithKeyEnvelopeAndExactBytes() throws Exception {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(Submissions.bytes("From: Alice <alice@example.test>\r\nDate: Thu, 5 Nov 2026 10:04:08 +0900\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@client.example.test>\r\nSubject: =?UTF-8?B?5Lu25ZCN?=\r\n"
                + "Content-Type: text/plain; charset=ISO-2022-JP\r\n\r\n"));
        content.writeBytes(new byte[] {0x1b, '$', 'B', '$', '3', 0x1b, '(', 'B', '\r', '\n', (byte) 0xff, '\r', '\n'});
        Submission submission = Submissions.alice(content.toByteArray());
        double acceptedBefore = registry.counter("kanmon.submission.messages.accepted").count();

        try (KafkaConsumer<String, byte[]> consumer = consumerAtEnd()) {
            AcceptedMessage accepted = acceptor.accept(submission).toCompletionStage().toCompletableFuture().get(60, SECONDS);

            ConsumerRecord<String, byte[]> record = poll(consumer, accepted.queueId());
            byte[] value = record.value();
            HeaderBlock.Field received = HeaderBlock.parse(value).fields().get(0);
            assertThat(received.name()).isEqualTo("Received");
            assertThat(Submissions.text(Arrays.copyOf(value, received.end())))
                    .contains("(Authenticated sender: alice)", "with ESMTPSA id " + accepted.queueId(), "for <bob@dest.test>;");
            assertThat(Arrays.copyOfRange(value, received.end(), value.length)).isEqualTo(content.toByteArray());
            assertThat(accepted.size()).isEqualTo(value.length);

            List<Header> envelopes = new ArrayList<>();
            record.headers().headers(Topics.ENVELOPE_HEADER).forEach(envelopes::add);
            assertThat(envelopes).hasSize(1);
            Envelope envelope = WireCodec.decode(envelopes.get(0).value(), Envelope.class);
            assertThat(envelope.queueId()).isEqualTo(accepted.queueId());
            assertThat(envelope.mailFrom()).isEqualTo("alice@example.test");
            assertThat(envelope.recipients()).containsExactly(EnvelopeRecipient.of("bob@dest.test"));
            assertThat(envelope.authUser()).isEqualTo("alice");
            assertThat(envelope.clientIp()).isEqualTo("192.0.2.1");
            assertThat(envelope.heloName()).isEqualTo("laptop.example.test");
            assertThat(envelope.tlsProtocol()).isEqualTo("TLSv1.3");
            assertThat(envelope.tlsCipher()).isEqualTo("TLS_AES_256_GCM_SHA384");
            assertThat(envelope.receivedAt()).isEqualTo(Submissions.RECEIVED_AT);
            assertThat(envelope.size()).isEqualTo(value.length);
            assertThat(envelope.attempt()).isZero();
            assertThat(envelope.dsn()).isFalse();
        }
        assertThat(registry.counter("kanmon.submission.messages.accepted").count()).isEqualTo(acceptedBefore + 1);
    }

    @Test
    void foreignHeaderFromIsRewrittenUnderTheDefaultPolicy() throws Exception {
        String rest = "Date: Thu, 5 Nov 2026 10:04:08 +0900\r\nMessage-ID: <" + UUID.randomUUID() + "@c>\r\n\r\nhi\r\n";
        Submission submission = Submissions.alice("From: \"Bank\" <ceo@bank.test>\r\n" + rest);

        try (KafkaConsumer<String, byte[]> consumer = consumerAtEnd()) {
            AcceptedMessage accepted = acceptor.accept(submission).toCompletionStage().toCompletableFuture().get(60, SECONDS);

            byte[] value = poll(consumer, accepted.queueId()).value();
            int afterReceived = HeaderBlock.parse(value).fields().get(0).end();
            assertThat(Submissions.text(Arrays.copyOfRange(value, afterReceived, value.length))).isEqualTo(
                    "From: alice@example.test\r\nX-Original-From: \"Bank\" <ceo@bank.test>\r\n" + rest);
        }
    }

    @Test
    void testProfileUsesTheTestTopic() {
        assertThat(queue.topic()).isEqualTo("test.relay.submitted.v1");
    }

    private KafkaConsumer<String, byte[]> consumerAtEnd() throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, queue.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(queue.topic(), Optional.empty(), Optional.empty()))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, queue.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(queue.topic()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end offsets now, before the send
        return consumer;
    }

    private static ConsumerRecord<String, byte[]> poll(KafkaConsumer<String, byte[]> consumer, String key) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                if (key.equals(r.key())) {
                    found.add(r);
                }
            });
            return !found.isEmpty();
        });
        return found.get(0);
    }
}
