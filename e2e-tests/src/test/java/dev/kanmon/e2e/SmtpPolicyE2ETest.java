package dev.kanmon.e2e;

import static dev.kanmon.e2e.E2eStack.ALICE;
import static dev.kanmon.e2e.E2eStack.ALICE_ADDRESS;
import static dev.kanmon.e2e.E2eStack.ALICE_PASSWORD;
import static dev.kanmon.e2e.E2eStack.BOB_ADDRESS;
import static dev.kanmon.e2e.E2eStack.HOST;
import static dev.kanmon.e2e.E2eStack.SUBMISSION;
import static dev.kanmon.e2e.E2eStack.SUBMISSIONS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact replies of the submission policy, checked with the scripted client {@link SmtpClient}. */
class SmtpPolicyE2ETest extends E2eBase {

    @Test
    void port587OffersStartTlsAndNoPlaintextAuthBeforeTls() throws Exception {
        try (SmtpClient c = SmtpClient.connect(HOST, SUBMISSION)) {
            assertThat(c.read().code()).isEqualTo(220);
            Reply ehlo = c.send("EHLO " + HELO);
            assertThat(ehlo.code()).as(c.transcript()).isEqualTo(250);
            assertThat(ehlo.lines()).as(c.transcript()).anyMatch(l -> l.equalsIgnoreCase("STARTTLS"));
            assertThat(ehlo.lines()).as("no AUTH PLAIN/LOGIN before TLS\n%s", c.transcript())
                    .noneMatch(l -> l.toUpperCase().matches("AUTH[ =].*\\b(PLAIN|LOGIN)\\b.*"));
        }
    }

    @Test
    void mailAndAuthBeforeStartTlsOn587AreRefusedAndNoAuthIsOffered() throws Exception {
        try (SmtpClient c = SmtpClient.connect(HOST, SUBMISSION)) {
            c.read();
            Reply ehlo = c.send("EHLO " + HELO);
            assertThat(ehlo.lines()).as(c.transcript()).noneMatch(l -> l.toUpperCase().startsWith("AUTH"));
            for (String command : List.of("MAIL FROM:<" + ALICE_ADDRESS + ">", "AUTH CRAM-MD5",
                    "AUTH SCRAM-SHA-256 biwsbj1hbGljZSxyPTEyMzQ=")) {
                Reply refused = c.send(command);
                assertThat(refused.code()).as(c.transcript()).isEqualTo(530);
                assertThat(refused.enhanced()).as(c.transcript()).isEqualTo("5.7.0");
                assertThat(refused.lines().get(0)).as(c.transcript()).endsWith("Must issue a STARTTLS command first");
            }
            assertThat(c.startTls().code()).as(c.transcript()).isEqualTo(220);
        }
    }

    @Test
    void authPlainBeforeStartTlsOn587IsRefused() throws Exception {
        try (SmtpClient c = SmtpClient.connect(HOST, SUBMISSION)) {
            c.read();
            c.send("EHLO " + HELO);
            Reply auth = c.authPlain(ALICE, ALICE_PASSWORD);
            assertThat(auth.code()).as(c.transcript()).isBetween(500, 599);
            assertThat(auth.enhanced()).as(c.transcript()).startsWith("5.7.");
            // The session stays usable: STARTTLS still works afterwards.
            assertThat(c.startTls().code()).as(c.transcript()).isEqualTo(220);
        }
    }

    @Test
    void mailWithoutAuthAfterStartTlsOn587Is530() throws Exception {
        try (SmtpClient c = SmtpClient.connect(HOST, SUBMISSION)) {
            c.read();
            c.send("EHLO " + HELO);
            assertThat(c.startTls().code()).as(c.transcript()).isEqualTo(220);
            assertThat(c.send("EHLO " + HELO).code()).as(c.transcript()).isEqualTo(250);
            Reply mail = c.send("MAIL FROM:<" + ALICE_ADDRESS + ">");
            assertThat(mail.code()).as(c.transcript()).isEqualTo(530);
            assertThat(mail.enhanced()).as(c.transcript()).isEqualTo("5.7.0");
        }
    }

    @Test
    void afterStartTlsAuthIsOfferedAndForeignSenderIs553() throws Exception {
        try (SmtpClient c = SmtpClient.connect(HOST, SUBMISSION)) {
            c.read();
            c.send("EHLO " + HELO);
            c.startTls();
            Reply ehlo = c.send("EHLO " + HELO);
            assertThat(ehlo.lines()).as(c.transcript()).anyMatch(l -> l.toUpperCase().matches("AUTH .*\\bPLAIN\\b.*"));
            assertThat(ehlo.lines()).as(c.transcript()).anyMatch(l -> l.toUpperCase().matches("AUTH .*\\bLOGIN\\b.*"));
            Reply auth = c.authPlain(ALICE, ALICE_PASSWORD);
            assertThat(auth.code()).as(c.transcript()).isEqualTo(235);
            assertThat(auth.enhanced()).as(c.transcript()).isEqualTo("2.7.0");
            Reply foreign = c.send("MAIL FROM:<bob@example.test>");
            assertThat(foreign.code()).as(c.transcript()).isEqualTo(553);
            assertThat(foreign.enhanced()).as(c.transcript()).isEqualTo("5.7.1");
            // Still in the session: the user's own address is accepted.
            Reply own = c.send("MAIL FROM:<" + ALICE_ADDRESS + ">");
            assertThat(own.code()).as(c.transcript()).isEqualTo(250);
        }
    }

    @Test
    void scriptedTransactionOver465HasExactRepliesAndArrivesIntact() throws Exception {
        TestMessage m = new TestMessage("scripted-465", ALICE_ADDRESS, BOB_ADDRESS);
        try (SmtpClient c = SmtpClient.connectTls(HOST, SUBMISSIONS)) {
            assertThat(c.read().code()).as(c.transcript()).isEqualTo(220);
            assertThat(c.send("EHLO " + HELO).code()).as(c.transcript()).isEqualTo(250);
            Reply auth = c.authPlain(ALICE, ALICE_PASSWORD);
            assertThat(auth.code()).as(c.transcript()).isEqualTo(235);
            Reply mail = c.send("MAIL FROM:<" + ALICE_ADDRESS + ">");
            assertThat(Arrays.asList(mail.code(), mail.enhanced())).as(c.transcript()).containsExactly(250, "2.1.0");
            Reply rcpt = c.send("RCPT TO:<" + BOB_ADDRESS + ">");
            assertThat(Arrays.asList(rcpt.code(), rcpt.enhanced())).as(c.transcript()).containsExactly(250, "2.1.5");
            Reply end = c.data(m.dotStuffedCrlf());
            assertThat(end.code()).as(c.transcript()).isEqualTo(250);
            assertThat(end.enhanced()).as(c.transcript()).isEqualTo("2.0.0");
            assertThat(end.text()).as(c.transcript()).matches("Ok: queued as [0-9A-Za-z]+");
        }
        Sink.assertDeliveredIntact(m, ALICE_ADDRESS, BOB_ADDRESS);
    }
}
