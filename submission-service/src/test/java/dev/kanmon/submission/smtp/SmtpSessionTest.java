package dev.kanmon.submission.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.core.queue.BodyType;
import dev.kanmon.core.queue.Envelope;
import dev.kanmon.core.queue.EnvelopeRecipient;
import dev.kanmon.core.queue.Notify;
import dev.kanmon.core.queue.Ret;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The SMTP protocol over real sockets on the test ports, without AUTH: port 25 (12525) from a trusted
 * (127.0.0.1) and an untrusted (127.0.0.3) address, grammar errors, limits, smuggling, BDAT, and what
 * arrives on the real Kafka test topic.
 */
@QuarkusTest
class SmtpSessionTest {

    static final int SMTP = 12525;
    static final int SUBMISSION = 12587;

    @Test
    void greetingAndEhloKeywordsOnPort25() throws Exception {
        try (SmtpClient c = SmtpClient.connect(SMTP, "127.0.0.3")) {
            assertThat(c.expect("220 ")).containsExactly("220 relay.kanmon.test ESMTP Kanmon");
            List<String> ehlo = c.send("EHLO client.test").expect("250 ");
            assertThat(ehlo).containsExactly("250-relay.kanmon.test", "250-PIPELINING", "250-SIZE 26214400",
                    "250-8BITMIME", "250-ENHANCEDSTATUSCODES", "250-STARTTLS", "250-DSN", "250-SMTPUTF8",
                    "250 CHUNKING");
            c.send("AUTH PLAIN AGEAYg==").expect("503 5.5.1");
            c.send("HELO old.client.test").expect("250 relay.kanmon.test");
            c.send("VRFY alice").expect("252 2.5.2");
            c.send("HELP").expect("214 2.0.0");
            c.send("NOOP").expect("250 2.0.0");
            c.send("QUIT").expect("221 2.0.0");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void untrustedClientOnPort25MayOnlySendPlainMailboxesOfRelayDomains() throws Exception {
        try (SmtpClient c = SmtpClient.connect(SMTP, "127.0.0.3"); SubmittedTopic topic = new SubmittedTopic()) {
            c.expect("220");
            c.send("EHLO client.test").expect("250 ");
            c.send("MAIL FROM:<someone@far.test>").expect("250 2.1.0");
            c.send("RCPT TO:<victim@far.test>").expect("554 5.7.1 <victim@far.test>: Relay access denied");
            for (String trick : List.of("<victim%far.test@example.test>", "<far.test!victim@example.test>",
                    "<\"victim@far.test\"@example.test>", "<@example.test:victim@far.test>",
                    "<\"victim%far.test\"@example.test>", "<victim@[127.0.0.1]>")) {
                c.send("RCPT TO:" + trick).expect("554 5.7.1");
            }
            c.send("RCPT TO:<victim@far.test@example.test>").expect("501 5.1.3");
            c.send("RCPT TO:<alice@EXAMPLE.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;alice+40example.test")
                    .expect("250 2.1.5");
            c.send("DATA").expect("354");
            c.raw("Subject: in\r\n\r\nhello\r\n..dot\r\n.\r\n");
            String id = SubmittedTopic.queueId(c.expect("250 2.0.0 Ok: queued as "));
            ConsumerRecord<String, byte[]> record = topic.record(id);
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).endsWith("Subject: in\r\n\r\nhello\r\n.dot\r\n");
            Envelope envelope = SubmittedTopic.envelope(record);
            assertThat(envelope.mailFrom()).isEqualTo("someone@far.test");
            assertThat(envelope.recipients()).containsExactly(new EnvelopeRecipient("alice@EXAMPLE.test",
                    Set.of(Notify.SUCCESS, Notify.FAILURE), "rfc822;alice+40example.test"));
            assertThat(envelope.authUser()).isNull();
            assertThat(envelope.clientIp()).isEqualTo("127.0.0.3");
            assertThat(envelope.heloName()).isEqualTo("client.test");
        }
    }

    @Test
    void trustedNetworkRelaysAnywhereWithAFullyPipelinedTransaction() throws Exception {
        try (SmtpClient c = SmtpClient.connect(SMTP); SubmittedTopic topic = new SubmittedTopic()) {
            c.expect("220");
            // RFC 2920: everything up to DATA in one write; the replies come back in order.
            c.raw("EHLO trusted.test\r\nMAIL FROM:<ops@example.test> BODY=8BITMIME RET=HDRS ENVID=abc+2Bd SIZE=100\r\n"
                    + "RCPT TO:<a@dest.test>\r\nRCPT TO:<@hop.test:b@dest.test>\r\nDATA\r\n");
            c.expect("250 ");
            c.expect("250 2.1.0");
            c.expect("250 2.1.5");
            c.expect("250 2.1.5");
            c.expect("354");
            c.raw("Subject: t\r\n\r\n\u00e9t\u00e9\r\n.\r\nNOOP\r\n");
            String id = SubmittedTopic.queueId(c.expect("250 2.0.0 Ok: queued as"));
            c.expect("250 2.0.0 Ok");
            Envelope envelope = SubmittedTopic.envelope(topic.record(id));
            assertThat(envelope.recipients()).extracting(EnvelopeRecipient::address)
                    .containsExactly("a@dest.test", "b@dest.test");
            assertThat(envelope.bodyType()).isEqualTo(BodyType.EIGHT_BIT_MIME);
            assertThat(envelope.ret()).isEqualTo(Ret.HDRS);
            assertThat(envelope.envid()).isEqualTo("abc+d");
        }
    }

    @Test
    void grammarAndSequenceErrorsAreAnsweredPreciselyAndTheSessionGoesOn() throws Exception {
        try (SmtpClient c = SmtpClient.connect(SMTP)) {
            c.expect("220");
            c.send("MAIL FROM:<a@example.test>").expect("503 5.5.1");
            c.send("EHLO").expect("501 5.5.4");
            c.send("EHLO x.test").expect("250 ");
            c.send("FOO bar").expect("500 5.5.2");
            c.send("RCPT TO:<a@dest.test>").expect("503 5.5.1");
            c.send("DATA").expect("503 5.5.1");
            c.send("MAIL FROM:a@example.test").expect("501 5.1.7");
            c.send("MAIL FROM:<a..b@example.test>").expect("501 5.1.7");
            c.send("MAIL FROM:<a@example.test> FOO=1").expect("555 5.5.4");
            c.send("MAIL FROM:<a@example.test> BODY=9BIT").expect("501 5.5.4");
            c.send("MAIL FROM:<jos\u00e9@example.test>").expect("553 5.6.7");
            c.send("MAIL FROM:<a@example.test> SIZE=999999999999").expect("552 5.3.4");
            c.send("MAIL FROM:<jos\u00e9@b\u00fccher.test> SMTPUTF8").expect("250 2.1.0");
            c.send("MAIL FROM:<a@example.test>").expect("503 5.5.1");
            c.send("DATA").expect("554 5.5.1");
            c.send("RCPT TO:<>").expect("501 5.1.3");
            c.send("RCPT TO:<a@dest.test> NOTIFY=NEVER,SUCCESS").expect("501 5.5.4");
            c.send("RSET").expect("250 2.0.0");
            c.send("RCPT TO:<a@dest.test>").expect("503 5.5.1");
            c.send("STARTTLS extra").expect("501 5.5.4");
            c.send("MAIL FROM:<> BODY=BINARYMIME").expect("555 5.5.4 BODY=BINARYMIME not supported");
            c.send("NOOP").expect("250");
        }
    }

    @Test
    void overlongLinesAreRefusedAndTheSessionKeepsWorking() throws Exception {
        try (SmtpClient c = SmtpClient.connect(SMTP)) {
            c.expect("220");
            c.send("NOOP " + "x".repeat(600)).expect("500 5.5.2 Line too long");
            c.send("NOOP " + "y".repeat(100_000)).expect("500 5.5.2 Line too long");
            c.send("NOOP").expect("250 2.0.0");
        }
    }

    @Test
    void smugglingSequencesNeverEndDataAndTheMessageIsRefused() throws Exception {
        for (String smuggle : List.of("\n.\n", "\n.\r\n", "\r.\r\n", "\r\n.\r", "\r\n.\n")) {
            try (SmtpClient c = SmtpClient.connect(SMTP)) {
                c.expect("220");
                c.send("EHLO x.test").expect("250 ");
                c.send("MAIL FROM:<a@example.test>").expect("250");
                c.send("RCPT TO:<a@dest.test>").expect("250");
                c.send("DATA").expect("354");
                c.raw("Subject: s\r\n\r\nbody" + smuggle + "MAIL FROM:<evil@example.test>\r\nRCPT TO:<v@dest.test>\r\n"
                        + "DATA\r\nspoofed\r\n.\r\n");
                // One reply for the one message: the smuggled commands were content.
                c.expect("550 5.5.2 Message contains bare CR or LF");
                c.send("NOOP").expect("250 2.0.0");
            }
        }
    }

    @Test
    void bdatChunksIncludingLastAndRefusedChunksAreConsumed() throws Exception {
        try (SmtpClient c = SmtpClient.connect(SMTP); SubmittedTopic topic = new SubmittedTopic()) {
            c.expect("220");
            c.send("EHLO x.test").expect("250 ");
            c.raw("BDAT 5\r\nabcde").expect("503 5.5.1");
            c.send("MAIL FROM:<a@example.test> BODY=8BITMIME").expect("250");
            c.send("RCPT TO:<a@dest.test>").expect("250");
            c.raw("BDAT 14\r\nSubject: b\r\n\r\n").expect("250 2.0.0 Ok: 14 octets received");
            // A dot line inside a chunk is content, not an end of data.
            c.raw("BDAT 7 LAST\r\nx\r\n.\r\ny").expect("250 2.0.0 Ok: queued as");
            c.send("MAIL FROM:<a@example.test>").expect("250");
            c.send("RCPT TO:<a@dest.test>").expect("250");
            c.raw("BDAT 0 LAST\r\n");
            String id = SubmittedTopic.queueId(c.expect("250 2.0.0 Ok: queued as"));
            assertThat(SubmittedTopic.envelope(topic.record(id)).mailFrom()).isEqualTo("a@example.test");
            c.send("MAIL FROM:<a@example.test>").expect("250");
            c.send("RCPT TO:<a@dest.test>").expect("250");
            c.raw("BDAT 3 LAST\r\na\nb").expect("550 5.5.2");
            c.send("NOOP").expect("250");
        }
    }

    @Test
    void nulOctetsInDataOrBdatAreRefusedAndNeverQueued() throws Exception {
        try (SmtpClient c = SmtpClient.connect(SMTP); SubmittedTopic topic = new SubmittedTopic()) {
            c.expect("220");
            c.send("EHLO x.test").expect("250 ");
            c.send("MAIL FROM:<nul-data@example.test>").expect("250");
            c.send("RCPT TO:<a@dest.test>").expect("250");
            c.send("DATA").expect("354");
            c.raw("Subject: n\r\n\r\nbefore\u0000after\r\n.\r\n").expect("554 5.6.0 Message contains NUL octets");
            c.send("MAIL FROM:<nul-bdat@example.test> BODY=8BITMIME").expect("250");
            c.send("RCPT TO:<a@dest.test>").expect("250");
            c.raw("BDAT 13 LAST\r\nSubject: n\r\n\u0000").expect("554 5.6.0 Message contains NUL octets");
            // The session goes on, and the next clean message is the first one on the topic from here.
            c.send("MAIL FROM:<clean@example.test>").expect("250");
            c.send("RCPT TO:<a@dest.test>").expect("250");
            c.send("DATA").expect("354");
            c.raw("Subject: c\r\n\r\nclean\r\n.\r\n");
            String id = SubmittedTopic.queueId(c.expect("250 2.0.0 Ok: queued as"));
            for (ConsumerRecord<String, byte[]> r : topic.recordsUpTo(id)) {
                assertThat(SubmittedTopic.envelope(r).mailFrom()).doesNotStartWith("nul-");
                assertThat(r.value()).doesNotContain((byte) 0);
            }
        }
    }

    @Test
    void recipientLimit() throws Exception {
        try (SmtpClient c = SmtpClient.connect(SMTP)) {
            c.expect("220");
            c.send("EHLO x.test").expect("250 ");
            c.send("MAIL FROM:<a@example.test>").expect("250");
            StringBuilder rcpts = new StringBuilder();
            for (int i = 0; i < 101; i++) {
                rcpts.append("RCPT TO:<r").append(i).append("@dest.test>\r\n");
            }
            c.raw(rcpts.toString());
            for (int i = 0; i < 100; i++) {
                c.expect("250 2.1.5");
            }
            c.expect("452 4.5.3 Too many recipients");
        }
    }

    @Test
    void tooManyErrorsCloseTheSession() throws Exception {
        try (SmtpClient c = SmtpClient.connect(SMTP)) {
            c.expect("220");
            for (int i = 0; i < 19; i++) {
                c.send("BOGUS").expect("500 5.5.2");
            }
            c.send("BOGUS");
            c.expect("500 5.5.2");
            c.expect("421 4.7.0");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void submissionPortRefusesAuthAndMailBeforeStartTls() throws Exception {
        try (SmtpClient c = SmtpClient.connect(SUBMISSION)) {
            c.expect("220");
            List<String> ehlo = c.send("EHLO x.test").expect("250 ");
            assertThat(ehlo).contains("250-STARTTLS").noneMatch(l -> l.contains("AUTH"));
            c.send("MAIL FROM:<alice@example.test>").expect("530 5.7.0 Must issue a STARTTLS command first");
            c.send("AUTH PLAIN AGFsaWNlAGFsaWNlLXNlY3JldA==").expect("530 5.7.0 Must issue a STARTTLS command first");
            c.send("AUTH CRAM-MD5").expect("530 5.7.0 Must issue a STARTTLS command first");
            c.send("STARTTLS").expect("220 2.0.0");
            c.startTls();
            c.send("EHLO x.test").expect("250 ");
            c.send("MAIL FROM:<alice@example.test>").expect("530 5.7.0 Authentication required");
        }
    }
}
