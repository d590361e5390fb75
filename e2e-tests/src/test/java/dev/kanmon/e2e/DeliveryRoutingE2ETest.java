package dev.kanmon.e2e;

import static dev.kanmon.e2e.E2eStack.ALICE;
import static dev.kanmon.e2e.E2eStack.ALICE_ADDRESS;
import static dev.kanmon.e2e.E2eStack.ALICE_PASSWORD;
import static dev.kanmon.e2e.E2eStack.HOST;
import static dev.kanmon.e2e.E2eStack.SUBMISSIONS;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * MX routing through the whole pipeline, with the test DNS of docs/architecture.md: the second MX
 * when the first does not answer, the implicit MX of a domain without MX records, and a bounce
 * (DSN with a null sender, back to the authenticated sender) for a null-MX domain.
 */
class DeliveryRoutingE2ETest extends E2eBase {

    private static void submit(TestMessage m) throws Exception {
        try (SmtpClient c = SmtpClient.connectTls(HOST, SUBMISSIONS)) {
            c.read();
            c.send("EHLO " + HELO);
            assertThat(c.authPlain(ALICE, ALICE_PASSWORD).code()).as(c.transcript()).isEqualTo(235);
            assertThat(c.send("MAIL FROM:<" + m.from + ">").code()).as(c.transcript()).isEqualTo(250);
            assertThat(c.send("RCPT TO:<" + m.to + ">").code()).as(c.transcript()).isEqualTo(250);
            Reply end = c.data(m.dotStuffedCrlf());
            assertThat(end.code()).as(c.transcript()).isEqualTo(250);
            assertThat(end.queueId()).as(c.transcript()).isNotNull();
        }
    }

    @Test
    void secondMxIsUsedWhenTheFirstDoesNotAnswer() throws Exception {
        // backup.test: MX 10 -> 127.0.0.11 (nothing listens), MX 20 -> 127.0.0.10 (the sink).
        TestMessage m = new TestMessage("mx-backup", ALICE_ADDRESS, "bob@backup.test");
        submit(m);
        Sink.assertDeliveredIntact(m, ALICE_ADDRESS, "bob@backup.test");
    }

    @Test
    void domainWithoutMxIsDeliveredToItsAddress() throws Exception {
        // nomx.test: no MX, A 127.0.0.10 (RFC 5321 implicit MX).
        TestMessage m = new TestMessage("mx-implicit", ALICE_ADDRESS, "bob@nomx.test");
        submit(m);
        Sink.assertDeliveredIntact(m, ALICE_ADDRESS, "bob@nomx.test");
    }

    @Test
    void nullMxDomainBouncesToTheAuthenticatedSender() throws Exception {
        // nullmx.test: "MX 0 ." (RFC 7505) -> permanent failure 5.1.10, a DSN to alice@example.test,
        // whose MX is the sink too.
        TestMessage m = new TestMessage("mx-null", ALICE_ADDRESS, "bob@nullmx.test");
        submit(m);
        Sink.Dump dsn = Sink.awaitMatching("a DSN for " + m.token, 90,
                text -> text.contains("X-Mail-Args: <>") && text.contains(m.token));
        assertThat(dsn.sinkValue("X-Rcpt-Args")).as("DSN recipient (%s)", dsn.file()).startsWith("<" + ALICE_ADDRESS + ">");
        String whole = String.join("\n", dsn.body());
        assertThat(whole).as("DSN body of %s", dsn.file())
                .contains("bob@nullmx.test")
                .contains("5.1.10")
                .containsIgnoringCase("message/delivery-status");
        assertThat(Sink.countContaining("X-Rcpt-Args: <bob@nullmx.test>")).as("nothing delivered to the null-MX domain").isZero();
    }
}
