package dev.kanmon.e2e;

import static dev.kanmon.e2e.E2eStack.ALICE;
import static dev.kanmon.e2e.E2eStack.ALICE_ADDRESS;
import static dev.kanmon.e2e.E2eStack.ALICE_PASSWORD;
import static dev.kanmon.e2e.E2eStack.HOST;
import static dev.kanmon.e2e.E2eStack.MTA;
import static dev.kanmon.e2e.E2eStack.SUBMISSION;
import static dev.kanmon.e2e.E2eStack.UNTRUSTED_SOURCE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile and broken input over the wire (issue 7): every probe gets a precise reply, the session goes on where
 * that is sane, and the server keeps serving — checked after each test with a fresh session.
 */
class BadInputE2ETest extends E2eBase {

    /**
     * The recipient forms nmap's smtp-open-relay script tries (with its test domain replaced by an outside
     * domain, and the relay's own names by a relay domain and its address literal), sent unauthenticated from
     * an untrusted address on the MTA port: none may be accepted.
     */
    private static final List<String> OPEN_RELAY_PROBES = List.of(
            "<relaytest@far.test>",
            "<relaytest%far.test@[127.0.0.1]>",
            "<relaytest%far.test@example.test>",
            "<\"relaytest@far.test\">",
            "<\"relaytest%far.test\">",
            "<relaytest@far.test@[127.0.0.1]>",
            "<\"relaytest@far.test\"@[127.0.0.1]>",
            "<relaytest@far.test@example.test>",
            "<@[127.0.0.1]:relaytest@far.test>",
            "<@example.test:relaytest@far.test>",
            "<far.test!relaytest>",
            "<far.test!relaytest@[127.0.0.1]>",
            "<far.test!relaytest@example.test>",
            "<\"far.test!relaytest\"@example.test>",
            "<relaytest@[192.0.2.9]>",
            "<relaytest@far.test.>");

    @AfterEach
    void serverStillServes() throws IOException {
        try (SmtpClient c = SmtpClient.connect(HOST, MTA)) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.send("EHLO " + HELO).code()).isEqualTo(250);
            assertThat(c.send("NOOP").code()).isEqualTo(250);
        }
    }

    @Test
    void allSixteenOpenRelayFormsAreRefused() throws Exception {
        try (SmtpClient c = SmtpClient.connect(HOST, MTA, UNTRUSTED_SOURCE)) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.send("EHLO " + HELO).code()).isEqualTo(250);
            assertThat(c.send("MAIL FROM:<antispam@far.test>").code()).as(c.transcript()).isEqualTo(250);
            for (String rcpt : OPEN_RELAY_PROBES) {
                Reply r = c.send("RCPT TO:" + rcpt);
                assertThat(r.code()).as("RCPT TO:%s\n%s", rcpt, c.transcript()).isBetween(500, 599);
                assertThat(r.enhanced()).as("RCPT TO:%s", rcpt).isIn("5.7.1", "5.1.3", "5.5.4", "5.5.2");
            }
            // Postfix: "554 5.5.1 Error: no valid recipients"
            assertThat(c.send("DATA").code()).as("no recipient was accepted").isEqualTo(554);
        }
    }

    @Test
    void aOneMegabyteLineIsRefusedAndTheSessionGoesOn() throws Exception {
        try (SmtpClient c = SmtpClient.connect(HOST, MTA)) {
            c.read();
            c.send("EHLO " + HELO);
            Reply r = c.send("NOOP " + "a".repeat(1 << 20));
            assertThat(r.code()).isEqualTo(500);
            assertThat(r.enhanced()).isEqualTo("5.5.2");
            assertThat(c.send("NOOP").code()).isEqualTo(250);
        }
    }

    @Test
    void nulBytesInCommandsAreSyntaxErrors() throws Exception {
        try (SmtpClient c = SmtpClient.connect(HOST, MTA)) {
            c.read();
            c.send("EHLO " + HELO);
            Reply mail = c.send("MAIL FROM:<ali\0ce@example.test>");
            assertThat(mail.code()).as(c.transcript()).isBetween(500, 599);
            Reply helo = c.send("HELO a\0b");
            assertThat(helo.code()).as(c.transcript()).isBetween(500, 599);
            assertThat(c.send("NOOP").code()).isEqualTo(250);
        }
    }

    @Test
    void invalidBase64InAuthIs501AndAuthStillWorks() throws Exception {
        try (SmtpClient c = tlsSession(SUBMISSION)) {
            Reply bad = c.send("AUTH PLAIN !!!not-base64***");
            assertThat(bad.code()).as(c.transcript()).isEqualTo(501);
            assertThat(bad.enhanced()).isEqualTo("5.5.2");
            assertThat(c.send("AUTH LOGIN").code()).isEqualTo(334);
            assertThat(c.send("%%%").code()).as(c.transcript()).isEqualTo(501);
            assertThat(c.authPlain(ALICE, ALICE_PASSWORD).code()).as(c.transcript()).isEqualTo(235);
        }
    }

    @Test
    void tenThousandRecipientsGetTheLimitAndThenTheDoor() throws Exception {
        try (SmtpClient c = tlsSession(SUBMISSION)) {
            assertThat(c.authPlain(ALICE, ALICE_PASSWORD).code()).isEqualTo(235);
            assertThat(c.send("MAIL FROM:<" + ALICE_ADDRESS + ">").code()).isEqualTo(250);
            StringBuilder burst = new StringBuilder();
            for (int i = 0; i < 10_000; i++) {
                burst.append("RCPT TO:<r").append(i).append("@dest.test>\r\n");
            }
            // Written from another thread: the server stops reading when it ends the session.
            Thread writer = new Thread(() -> c.writeUnrecorded(burst.toString()), "rcpt-flood");
            writer.start();
            List<Integer> codes = new ArrayList<>();
            try {
                while (codes.size() < 10_000) {
                    Reply r = c.read();
                    codes.add(r.code());
                    if (r.code() == 421) {
                        break;
                    }
                }
            } catch (IOException closed) {
                // the server closed after its 421
            }
            writer.join(30_000);
            long accepted = codes.stream().filter(code -> code == 250).count();
            assertThat(accepted).as("recipients accepted").isEqualTo(100);
            assertThat(codes.subList(0, 100)).containsOnly(250);
            assertThat(codes.subList(100, codes.size() - 1)).as("over the limit").containsOnly(452);
            assertThat(codes.get(codes.size() - 1)).as("too many errors: the session ends").isEqualTo(421);
        }
    }

    @Test
    void aPipeliningFloodIsAnsweredInOrder() throws Exception {
        try (SmtpClient c = SmtpClient.connect(HOST, MTA)) {
            c.read();
            c.send("EHLO " + HELO);
            c.write("NOOP\r\n".repeat(5000) + "HELP\r\n");
            for (int i = 0; i < 5000; i++) {
                assertThat(c.read().code()).isEqualTo(250);
            }
            assertThat(c.read().code()).as("HELP after the flood").isEqualTo(214);
        }
    }

    @Test
    void aSlowClientIsServedByteByByte() throws Exception {
        try (SmtpClient slow = SmtpClient.connect(HOST, MTA)) {
            slow.read();
            for (char ch : ("EHLO " + HELO + "\r\n").toCharArray()) {
                slow.write(String.valueOf(ch));
                Thread.sleep(20);
            }
            assertThat(slow.read().code()).isEqualTo(250);
            // a slow client holds only its own session: others are answered meanwhile
            try (SmtpClient other = SmtpClient.connect(HOST, MTA)) {
                assertThat(other.read().code()).isEqualTo(220);
                assertThat(other.send("NOOP").code()).isEqualTo(250);
            }
            for (char ch : "NOOP\r\n".toCharArray()) {
                slow.write(String.valueOf(ch));
                Thread.sleep(50);
            }
            assertThat(slow.read().code()).isEqualTo(250);
        }
    }
}
