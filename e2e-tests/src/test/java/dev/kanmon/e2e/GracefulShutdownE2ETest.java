package dev.kanmon.e2e;

import static dev.kanmon.e2e.E2eStack.ALICE;
import static dev.kanmon.e2e.E2eStack.ALICE_ADDRESS;
import static dev.kanmon.e2e.E2eStack.ALICE_PASSWORD;
import static dev.kanmon.e2e.E2eStack.BOB_ADDRESS;
import static dev.kanmon.e2e.E2eStack.HOST;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM on a submission pod (R8): the listeners stop taking sessions ({@code 421 4.3.2}), a client in the
 * middle of a transaction may finish it within the drain deadline and its message is delivered, and a session
 * still open at the deadline is told {@code 421 4.3.2} before the process exits.
 */
class GracefulShutdownE2ETest extends E2eBase {

    private static final int PORT = 4587;

    @Test
    void sigtermDrainsSessionsAndLosesNothing() throws Exception {
        TestMessage message = new TestMessage("drain", ALICE_ADDRESS, BOB_ADDRESS);
        try (SubmissionReplica replica = SubmissionReplica.start("drain", PORT, 18093,
                "kanmon.submission.drain-timeout=6s")) {
            SmtpClient busy = authenticated();
            assertThat(busy.send("MAIL FROM:<" + ALICE_ADDRESS + ">").code()).as(busy.transcript()).isEqualTo(250);
            assertThat(busy.send("RCPT TO:<" + BOB_ADDRESS + ">").code()).as(busy.transcript()).isEqualTo(250);
            SmtpClient idle = SmtpClient.connect(HOST, PORT);
            assertThat(idle.read().code()).isEqualTo(220);
            assertThat(idle.send("EHLO " + HELO).code()).isEqualTo(250);

            replica.terminate();
            // Draining has begun once the service says so; new sessions are then refused politely.
            Awaitility.await("drain started").atMost(Duration.ofSeconds(10))
                    .until(() -> replica.logText().contains("draining"));
            try (SmtpClient late = SmtpClient.connect(HOST, PORT)) {
                Reply greeting = late.read();
                assertThat(greeting.code()).as(late.transcript()).isEqualTo(421);
                assertThat(greeting.enhanced()).as(late.transcript()).isEqualTo("4.3.2");
            }

            // The transaction in progress completes: 250 means queued in Kafka.
            Reply queued = busy.data(message.dotStuffedCrlf());
            assertThat(queued.code()).as(busy.transcript()).isEqualTo(250);
            busy.close();

            // The idle session outlives the deadline and is told why it is closed.
            Reply closing = idle.read();
            assertThat(closing.code()).as(idle.transcript()).isEqualTo(421);
            assertThat(closing.enhanced()).as(idle.transcript()).isEqualTo("4.3.2");
            idle.close();

            assertThat(replica.awaitExit(Duration.ofSeconds(60))).as("replica exits after the drain").isTrue();
        }
        Sink.assertDeliveredIntact(message, ALICE_ADDRESS, BOB_ADDRESS);
        assertThat(Sink.count(message.token)).isEqualTo(1);
    }

    private static SmtpClient authenticated() throws Exception {
        SmtpClient c = tlsSession(PORT);
        assertThat(c.authPlain(ALICE, ALICE_PASSWORD).code()).as(c.transcript()).isEqualTo(235);
        return c;
    }
}
