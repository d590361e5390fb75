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

/** A record Kafka cannot take is a permanent 552 5.3.4, not a retry loop of 451s. */
@QuarkusTest
@TestProfile(SmallRecordProfile.class)
class RecordTooLargeTest {

    @Inject
    MessageAcceptor acceptor;

    @Inject
    MeterRegistry registry;

    @Test
    void messageAboveMaxRequestSizeIsRefusedPermanently() {
        Future<AcceptedMessage> result = acceptor.accept(Submissions.alice("Subject: big\r\n\r\n" + "x".repeat(4096) + "\r\n"));

        await().atMost(Duration.ofSeconds(60)).until(result::isComplete);
        assertThat(result.failed()).isTrue();
        assertThat(result.cause()).isInstanceOfSatisfying(MessageRejectedException.class,
                e -> assertThat(e.reply().render()).isEqualTo("552 5.3.4 Message too big for system\r\n"));
        assertThat(registry.counter("kanmon.submission.messages.rejected", "reason", "too_large").count()).isEqualTo(1);
        assertThat(registry.counter("kanmon.submission.messages.accepted").count()).isZero();
    }
}
