package dev.kanmon.queue.purge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kanmon.core.queue.Envelope;
import dev.kanmon.core.queue.RecipientStatus;
import dev.kanmon.queue.Messages;
import dev.kanmon.queue.Results;
import dev.kanmon.queue.TestDb;
import dev.kanmon.queue.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class FinishedPurgeTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    FinishedPurge purge;

    @Test
    void finishedMessagesGoAfterTheRetentionPendingOnesStay() throws Exception {
        Envelope done = Messages.waiting("alice@example.test", "alice", "done@dest.test");
        Envelope pending = Messages.waiting("alice@example.test", "alice", "wait@dest.test");
        TestKafka.submit(done, Messages.body("done"));
        TestKafka.submit(pending, Messages.body("pending"));
        Map<String, Long> ids = await().atMost(WAIT).until(() -> TestDb.recipientIds(done.queueId()), m -> m.size() == 1);
        await().atMost(WAIT).until(() -> TestDb.recipientIds(pending.queueId()), m -> m.size() == 1);
        TestKafka.result(Results.forStored(done.queueId(), "dest.test", List.of(Results.stored(ids.get("done@dest.test"),
                "done@dest.test", RecipientStatus.DELIVERED, 250, "2.0.0", "Ok"))));
        await().atMost(WAIT).until(() -> "delivered".equals(TestDb.states(done.queueId()).get("done@dest.test")));

        // within the retention nothing goes
        purge.purge(Instant.now().minus(Duration.ofDays(7))).await().atMost(WAIT);
        assertThat(TestDb.count("select count(*) from queue.message where queue_id = ?", done.queueId())).isEqualTo(1);

        // a cutoff after the last change: the finished message goes with its recipients and attempts
        purge.purge(Instant.now().plusSeconds(1)).await().atMost(WAIT);
        assertThat(TestDb.count("select count(*) from queue.message where queue_id = ?", done.queueId())).isZero();
        assertThat(TestDb.count("select count(*) from queue.recipient where queue_id = ?", done.queueId())).isZero();
        assertThat(TestDb.count("select count(*) from queue.attempt where recipient_id = ?", ids.get("done@dest.test")))
                .isZero();
        assertThat(TestDb.states(pending.queueId())).containsEntry("wait@dest.test", "deferred");
    }

    @Test
    void theTimePrefixIsTheUlidOfThatMillisecond() {
        assertThat(FinishedPurge.timePrefix(Instant.ofEpochMilli(0))).isEqualTo("0000000000");
        // 2^48 - 1 ms, the largest ULID time
        assertThat(FinishedPurge.timePrefix(Instant.ofEpochMilli(281474976710655L))).isEqualTo("7ZZZZZZZZZ");
    }
}
