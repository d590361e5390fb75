package dev.kanmon.submission.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Kafka unreachable: the client gets 451 4.3.0, never a 250. */
@QuarkusTest
@TestProfile(KafkaDownProfile.class)
class KafkaDownTest {

    @Inject
    MessageAcceptor acceptor;

    @Inject
    MeterRegistry registry;

    @Test
    void unreachableBrokerIsATemporaryFailureAndNothingIsAcknowledged() {
        Future<AcceptedMessage> result = acceptor.accept(Submissions.alice("Subject: lost?\r\n\r\nbody\r\n"));

        await().atMost(Duration.ofSeconds(60)).until(result::isComplete);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.cause()).isInstanceOfSatisfying(MessageRejectedException.class, e -> {
            assertThat(e.reply().code()).isEqualTo(451);
            assertThat(e.reply().enhanced()).isEqualTo("4.3.0");
            assertThat(e.reply().transientFailure()).isTrue();
        });
        assertThat(registry.counter("kanmon.submission.messages.accepted").count()).isZero();
        assertThat(registry.counter("kanmon.submission.messages.rejected", "reason", "queue_unavailable").count()).isEqualTo(1);
    }
}
