package dev.kanmon.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kanmon.core.queue.DeliveryRecipient;
import dev.kanmon.core.queue.DeliveryRequest;
import dev.kanmon.core.queue.Envelope;
import dev.kanmon.core.queue.Topics;
import dev.kanmon.core.queue.WireCodec;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

@QuarkusTest
class IntakeTest {

    @Test
    void submittedMessageIsPersistedAndSplitByDomain() throws Exception {
        Envelope env = Messages.envelope("alice@example.test", "alice",
                "bob@dest.test", "carol@DEST.test", "dave@nomx.test");
        byte[] body = Messages.body("split");
        RecordMetadata submitted = TestKafka.submit(env, body);

        // delivering, or further along when a delivery worker on the shared test topics already answered
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(TestDb.states(env.queueId()))
                .containsOnlyKeys("bob@dest.test", "carol@DEST.test", "dave@nomx.test")
                .doesNotContainValue("queued"));

        List<ConsumerRecord<String, byte[]>> records = TestKafka.read(TestKafka.OUTBOUND,
                r -> WireCodec.decode(TestKafka.header(r, Topics.DELIVERY_HEADER), DeliveryRequest.class)
                        .queueId().equals(env.queueId()));
        assertThat(records).hasSize(2);
        assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("dest.test", "nomx.test");
        for (ConsumerRecord<String, byte[]> r : records) {
            assertThat(r.value()).isEqualTo(body);
            DeliveryRequest req = WireCodec.decode(TestKafka.header(r, Topics.DELIVERY_HEADER), DeliveryRequest.class);
            assertThat(req.domain()).isEqualTo(r.key());
            assertThat(req.mailFrom()).isEqualTo("alice@example.test");
            assertThat(req.attempt()).isEqualTo(1);
            assertThat(req.envid()).isEqualTo(env.envid());
            assertThat(req.recipients()).extracting(d -> d.recipient().address())
                    .containsExactlyInAnyOrderElementsOf(r.key().equals("dest.test")
                            ? List.of("bob@dest.test", "carol@DEST.test") : List.of("dave@nomx.test"));
            assertThat(req.recipients()).extracting(DeliveryRecipient::recipientId).allMatch(id -> id > 0);
        }
        // no copy of the body in PostgreSQL: the row points at the record that holds it
        assertThat(TestDb.count("select count(*) from queue.message where queue_id = ? and intake_topic = ?"
                + " and intake_partition = ? and intake_offset = ?", env.queueId(), submitted.topic(),
                submitted.partition(), submitted.offset())).isEqualTo(1);
        assertThat(TestDb.count("select count(*) from queue.message_body where queue_id = ?", env.queueId())).isZero();
    }

    @Test
    void redeliveredRecordIsNotDuplicated() throws Exception {
        Envelope env = Messages.envelope("alice@example.test", "alice", "bob@dest.test");
        byte[] body = Messages.body("twice");
        TestKafka.submit(env, body);
        ResultsTest.awaitRequests(env.queueId(), 1);

        RecordMetadata again = TestKafka.submit(env, body);
        // once the group's offset is past the duplicate, the intake has fully handled it
        await().atMost(Duration.ofSeconds(60)).until(() -> TestKafka.committedPast(again));

        assertThat(TestDb.count("select count(*) from queue.message where queue_id = ?", env.queueId())).isEqualTo(1);
        assertThat(TestDb.count("select count(*) from queue.recipient where queue_id = ?", env.queueId())).isEqualTo(1);
        assertThat(TestKafka.deliveryRequests(env.queueId())).hasSize(1);
    }
}
