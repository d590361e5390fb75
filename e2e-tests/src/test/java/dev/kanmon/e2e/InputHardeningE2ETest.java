package dev.kanmon.e2e;

import static dev.kanmon.e2e.E2eStack.ALICE;
import static dev.kanmon.e2e.E2eStack.ALICE_ADDRESS;
import static dev.kanmon.e2e.E2eStack.ALICE_PASSWORD;
import static dev.kanmon.e2e.E2eStack.BOB_ADDRESS;
import static dev.kanmon.e2e.E2eStack.HOST;
import static dev.kanmon.e2e.E2eStack.MTA;
import static dev.kanmon.e2e.E2eStack.SUBMISSION;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Input the relay must not be fooled by, through the whole pipeline: SMTP smuggling end-of-data
 * variants (hannob/smtpsmug, CVE-2023-51764/5/6) and plaintext injected behind STARTTLS.
 */
class InputHardeningE2ETest extends E2eBase {

    /**
     * A message whose body hides a second transaction behind a non-standard end-of-data sequence,
     * sent on the MTA port from the trusted network (the classic outbound-relay smuggling case).
     * Only {@code <CRLF>.<CRLF>} ends DATA: the server answers exactly one reply for the DATA
     * content, the next command gets its own reply, and no smuggled message ever reaches the sink.
     */
    @ParameterizedTest(name = "end-of-data variant {0}")
    @ValueSource(strings = {"\\n.\\n", "\\n.\\r\\n", "\\r.\\r\\n", "\\r\\n.\\r", "\\r\\n.\\n"})
    void smuggledSecondMessageIsNeverDelivered(String escaped) throws Exception {
        String fakeEnd = escaped.replace("\\r", "\r").replace("\\n", "\n");
        String token = "smuggle-" + UUID.randomUUID();
        String smuggledSender = "smuggled-" + token.substring(8, 16) + "@example.test";
        TestMessage outer = new TestMessage("smuggling-outer", ALICE_ADDRESS, BOB_ADDRESS);
        String payload = new String(outer.dotStuffedCrlf(), StandardCharsets.US_ASCII)
                + "before the fake end" + fakeEnd
                + "MAIL FROM:<" + smuggledSender + ">\r\n"
                + "RCPT TO:<" + BOB_ADDRESS + ">\r\n"
                + "DATA\r\n"
                + "From: <" + smuggledSender + ">\r\nSubject: smuggled " + token + "\r\n\r\nsmuggled body " + token + "\r\n";
        try (SmtpClient c = SmtpClient.connect(HOST, MTA)) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.send("EHLO " + HELO).code()).as(c.transcript()).isEqualTo(250);
            assertThat(c.send("MAIL FROM:<" + ALICE_ADDRESS + ">").code()).as(c.transcript()).isEqualTo(250);
            assertThat(c.send("RCPT TO:<" + BOB_ADDRESS + ">").code()).as(c.transcript()).isEqualTo(250);
            Reply end = c.data(payload.getBytes(StandardCharsets.ISO_8859_1));
            // Either accepted as ONE message or refused as a whole; never split.
            assertThat(end.code()).as(c.transcript()).isIn(250, 550, 554);
            Reply noop = c.send("NOOP");
            assertThat(noop.code()).as("the reply to NOOP is NOOP's, not one for a smuggled command\n%s",
                    c.transcript()).isEqualTo(250);
            assertThat(noop.enhanced()).as(c.transcript()).isEqualTo("2.0.0");
            if (end.code() == 250) {
                // Wait for the outer message; the smuggled one would have been queued with it.
                Sink.await(outer);
            }
        }
        assertThat(Sink.countContaining("X-Mail-Args: <" + smuggledSender + ">"))
                .as("messages delivered with the smuggled envelope sender").isZero();
    }

    @Test
    void plaintextInjectedBehindStartTlsIsDiscarded() throws Exception {
        try (SmtpClient c = SmtpClient.connect(HOST, SUBMISSION)) {
            c.read();
            c.send("EHLO " + HELO);
            Reply tls = c.startTlsWithInjected("EHLO injected.example\r\n");
            assertThat(tls.code()).as(c.transcript()).isEqualTo(220);
            // The first reply inside TLS must answer our NOOP, not the injected EHLO.
            Reply first = c.send("NOOP");
            assertThat(first.lines()).as("first reply after STARTTLS\n%s", c.transcript()).hasSize(1);
            assertThat(first.code()).as(c.transcript()).isEqualTo(250);
            assertThat(first.enhanced()).as(c.transcript()).isEqualTo("2.0.0");
            // And the session really is fresh: EHLO again, then AUTH works.
            assertThat(c.send("EHLO " + HELO).code()).as(c.transcript()).isEqualTo(250);
            assertThat(c.authPlain(ALICE, ALICE_PASSWORD).code()).as(c.transcript()).isEqualTo(235);
        }
    }
    /**
     * A NUL in the content is refused at the end of data ({@code 554 5.6.0}); the session goes on, and of the two
     * messages only the clean one reaches the sink. Some receivers drop NULs before they look for the end of data.
     */
    @Test
    void messageWithNulOctetsIsRefusedAndNeverDelivered() throws Exception {
        TestMessage nul = new TestMessage("nul-octets", ALICE_ADDRESS, BOB_ADDRESS);
        TestMessage clean = new TestMessage("nul-octets-clean", ALICE_ADDRESS, BOB_ADDRESS);
        String stuffed = new String(nul.dotStuffedCrlf(), StandardCharsets.ISO_8859_1);
        byte[] withNul = (stuffed + "a NUL \u0000 here\r\n").getBytes(StandardCharsets.ISO_8859_1);
        try (SmtpClient c = SmtpClient.connect(HOST, MTA)) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.send("EHLO " + HELO).code()).as(c.transcript()).isEqualTo(250);
            assertThat(c.send("MAIL FROM:<" + ALICE_ADDRESS + ">").code()).as(c.transcript()).isEqualTo(250);
            assertThat(c.send("RCPT TO:<" + BOB_ADDRESS + ">").code()).as(c.transcript()).isEqualTo(250);
            Reply refused = c.data(withNul);
            assertThat(refused.code()).as(c.transcript()).isEqualTo(554);
            assertThat(refused.enhanced()).as(c.transcript()).isEqualTo("5.6.0");
            assertThat(c.send("MAIL FROM:<" + ALICE_ADDRESS + ">").code()).as(c.transcript()).isEqualTo(250);
            assertThat(c.send("RCPT TO:<" + BOB_ADDRESS + ">").code()).as(c.transcript()).isEqualTo(250);
            assertThat(c.data(clean.dotStuffedCrlf()).code()).as(c.transcript()).isEqualTo(250);
        }
        Sink.await(clean);
        assertThat(Sink.count(nul.token)).as("deliveries of the message with a NUL").isZero();
    }
}
