package dev.kanmon.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kanmon.core.queue.DeliveryRequest;
import dev.kanmon.core.queue.Envelope;
import dev.kanmon.core.queue.RecipientStatus;
import dev.kanmon.core.queue.Topics;
import dev.kanmon.core.queue.WireCodec;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RetryTest {

    @Test
    void aDueDeferredRecipientIsPublishedAgain() throws Exception {
        // waits as deferred (NOT-BEFORE tomorrow), so only this test's results reach it
        Envelope env = Messages.waiting("alice@example.test", "alice", "slow@dest.test");
        byte[] body = Messages.body("retry");
        TestKafka.submit(env, body);
        long id = ResultsTest.awaitStored(env.queueId(), 1).get("slow@dest.test");
        assertThat(TestDb.states(env.queueId())).containsEntry("slow@dest.test", "deferred");
        assertThat(TestKafka.deliveryRequests(env.queueId())).isEmpty();
        // a first attempt that failed temporarily: next try in 5 minutes
        RecordMetadata first = TestKafka.result(Results.forStored(env.queueId(), "dest.test", List.of(
                Results.stored(id, "slow@dest.test", RecipientStatus.DEFERRED, 421, "4.7.0", "come back later"))));
        await().atMost(Duration.ofSeconds(60)).until(() -> TestKafka.committedPast(first));
        assertThat(TestDb.count("select count(*) from queue.recipient where queue_id = ? and state = 'deferred'"
                + " and attempts = 1 and next_attempt_at > now() + interval '4 minutes'", env.queueId())).isEqualTo(1);

        // make it due now
        TestDb.update("update queue.recipient set next_attempt_at = now() - interval '1 minute' where queue_id = ?",
                env.queueId());

        DeliveryRequest retry = ResultsTest.awaitRequests(env.queueId(), 1).get(0);
        assertThat(retry.attempt()).isEqualTo(2);
        assertThat(retry.domain()).isEqualTo("dest.test");
        assertThat(retry.recipients()).extracting(r -> r.recipientId()).containsExactly(id);
        assertThat(TestDb.states(env.queueId()).get("slow@dest.test")).isNotIn("deferred", "queued");
        assertThat(TestDb.count("select attempts from queue.recipient where queue_id = ?", env.queueId())).isEqualTo(2);
        // the body was read back from the submitted record: PostgreSQL holds no copy
        assertThat(outbound(env.queueId())).containsExactly(body);
    }

    @Test
    void aMessageQueuedWithItsBodyInPostgresqlIsRetriedWithThatBody() throws Exception {
        Envelope env = Messages.waiting("alice@example.test", "alice", "legacy@dest.test");
        TestKafka.submit(env, Messages.body("in kafka"));
        ResultsTest.awaitStored(env.queueId(), 1);
        // a row of the previous intake: no record position, the body in message_body
        byte[] stored = Messages.body("in postgresql");
        TestDb.update("update queue.message set intake_partition = null, intake_offset = null where queue_id = ?",
                env.queueId());
        TestDb.update("insert into queue.message_body (queue_id, body) values (?, ?)", env.queueId(), stored);
        TestDb.update("update queue.recipient set next_attempt_at = now() - interval '1 minute' where queue_id = ?",
                env.queueId());

        ResultsTest.awaitRequests(env.queueId(), 1);
        assertThat(outbound(env.queueId())).containsExactly(stored);
    }

    private static List<byte[]> outbound(String queueId) {
        return TestKafka.read(TestKafka.OUTBOUND, r -> WireCodec.decode(TestKafka.header(r, Topics.DELIVERY_HEADER),
                DeliveryRequest.class).queueId().equals(queueId)).stream().map(ConsumerRecord::value).toList();
    }
}
