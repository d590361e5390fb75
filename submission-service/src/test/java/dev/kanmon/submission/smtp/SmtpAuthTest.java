package dev.kanmon.submission.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.core.queue.Envelope;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * AUTH framing and the submission policy with the real auth-service and Keycloak of the local stack
 * (alice/alice-secret with alias a.test@example.test, bob/bob-secret).
 */
@QuarkusTest
class SmtpAuthTest {

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static SmtpClient tlsSession() throws Exception {
        SmtpClient c = SmtpClient.connectTls(SmtpTlsTest.SUBMISSIONS);
        c.expect("220");
        c.send("EHLO laptop.test").expect("250 ");
        return c;
    }

    @Test
    void plainThenOwnAddressesOnlyThenQueuedWithTheUserOnKafka() throws Exception {
        try (SmtpClient c = tlsSession(); SubmittedTopic topic = new SubmittedTopic()) {
            c.send("AUTH PLAIN " + b64("\0alice\0alice-secret")).expect("235 2.7.0 Authentication successful");
            c.send("AUTH PLAIN " + b64("\0alice\0alice-secret")).expect("503 5.5.1");
            c.send("MAIL FROM:<bob@example.test>")
                    .expect("553 5.7.1 <bob@example.test>: Sender address rejected: not owned by user alice");
            c.send("MAIL FROM:<a.test@EXAMPLE.TEST>").expect("250 2.1.0");
            c.send("RSET").expect("250");
            c.send("MAIL FROM:<>").expect("250 2.1.0");
            c.send("RSET").expect("250");
            c.send("MAIL FROM:<alice@example.test>").expect("250 2.1.0");
            c.send("RCPT TO:<bob@dest.test>").expect("250 2.1.5");
            c.send("DATA").expect("354");
            c.raw("From: alice@example.test\r\nSubject: hi\r\n\r\nbody\r\n.\r\n");
            String id = SubmittedTopic.queueId(c.expect("250 2.0.0 Ok: queued as"));
            ConsumerRecord<String, byte[]> record = topic.record(id);
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).endsWith("\r\n\r\nbody\r\n");
            Envelope envelope = SubmittedTopic.envelope(record);
            assertThat(envelope.authUser()).isEqualTo("alice");
            assertThat(envelope.mailFrom()).isEqualTo("alice@example.test");
            assertThat(envelope.tlsProtocol()).startsWith("TLSv1.");
            assertThat(envelope.heloName()).isEqualTo("laptop.test");
        }
    }

    @Test
    void loginWithChallengesAndStartTlsOn587() throws Exception {
        try (SmtpClient c = SmtpClient.connect(SmtpTlsTest.SUBMISSION)) {
            c.expect("220");
            c.send("EHLO laptop.test").expect("250 ");
            c.send("STARTTLS").expect("220");
            c.startTls();
            c.send("EHLO laptop.test").expect("250 ");
            c.send("AUTH LOGIN").expect("334 " + b64("Username:"));
            c.send(b64("bob")).expect("334 " + b64("Password:"));
            c.send(b64("bob-secret")).expect("235 2.7.0");
            c.send("MAIL FROM:<bob@example.test>").expect("250 2.1.0");
        }
    }

    @Test
    void cancelBadBase64AndWrongPasswordLeaveTheSessionUsable() throws Exception {
        try (SmtpClient c = tlsSession()) {
            c.send("AUTH LOGIN").expect("334");
            c.send("*").expect("501 5.0.0");
            c.send("AUTH PLAIN !!!").expect("501 5.5.2");
            c.send("AUTH LOGIN").expect("334");
            c.send("not base64!").expect("501 5.5.2");
            c.send("AUTH PLAIN " + b64("\0alice\0wrong")).expect("535 5.7.8");
            c.send("MAIL FROM:<alice@example.test>").expect("530 5.7.0");
            c.send("AUTH PLAIN").expect("334");
            c.send(b64("\0alice\0alice-secret")).expect("235 2.7.0");
        }
    }
}
