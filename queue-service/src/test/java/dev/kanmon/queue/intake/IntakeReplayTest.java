package dev.kanmon.queue.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.core.queue.DeliveryRequest;
import dev.kanmon.core.queue.Envelope;
import dev.kanmon.queue.Messages;
import dev.kanmon.queue.TestDb;
import dev.kanmon.queue.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The replay rules of the intake, driven directly: a record is replayed whenever the process dies before the
 * consumer group's offset passes it, which a test cannot arrange through Kafka.
 */
@QuarkusTest
class IntakeReplayTest {

    // a partition the test topic does not have: this test's published marks never meet real records
    private static final int PARTITION = 900;

    @Inject
    Intake intake;

    @Test
    void aRecordReplayedBeforeItsRequestsWereAcknowledgedIsPublishedAgainWithTheSameDeliveryId() throws Exception {
        Envelope env = Messages.envelope("alice@example.test", "alice", "bob@dest.test", "carol@nomx.test");
        long offset = System.currentTimeMillis(); // above any mark an earlier run left on this partition
        Submission record = new Submission(env, Messages.body("replay"), TestKafka.SUBMITTED, PARTITION, offset);
        accept(record);
        List<DeliveryRequest> first = TestKafka.deliveryRequests(env.queueId());
        assertThat(first).hasSize(2);

        // as if the process had died after the transaction but before Kafka acknowledged the requests
        TestDb.update("delete from queue.intake_progress where topic = ? and partition = ?", TestKafka.SUBMITTED, PARTITION);
        accept(record);
        List<DeliveryRequest> again = TestKafka.deliveryRequests(env.queueId());
        assertThat(again).hasSize(4);
        assertThat(again).extracting(DeliveryRequest::deliveryId)
                .containsOnly(first.get(0).deliveryId(), first.get(1).deliveryId());
        assertThat(again).extracting(DeliveryRequest::attempt).containsOnly(1);

        // replayed at or below the published mark, or another record with the same queue id: nothing new
        accept(record);
        accept(new Submission(env, Messages.body("replay"), TestKafka.SUBMITTED, PARTITION, offset + 1));
        assertThat(TestKafka.deliveryRequests(env.queueId())).hasSize(4);
        assertThat(TestDb.count("select count(*) from queue.message where queue_id = ?", env.queueId())).isEqualTo(1);
        assertThat(TestDb.count("select count(*) from queue.recipient where queue_id = ?", env.queueId())).isEqualTo(2);
    }

    private void accept(Submission record) {
        intake.accept(List.of(record)).await().atMost(Duration.ofSeconds(30));
    }
}
