package dev.kanmon.submission.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.core.queue.Envelope;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** STARTTLS on 587 and implicit TLS on 465 with the local stack's certificate, trusted through its CA. */
@QuarkusTest
class SmtpTlsTest {

    static final int SUBMISSION = 12587;
    static final int SUBMISSIONS = 12465;

    @Test
    void startTlsDiscardsPipelinedPlaintextAndResetsTheSession() throws Exception {
        try (SmtpClient c = SmtpClient.connect(SUBMISSION)) {
            c.expect("220");
            c.send("EHLO x.test").expect("250 ");
            // CVE-2011-0411: the BOGUS line rides in the same packet as STARTTLS and must never be executed.
            c.raw("STARTTLS\r\nBOGUS\r\n").expect("220 2.0.0");
            c.startTls();
            assertThat(c.tlsProtocol()).isIn("TLSv1.2", "TLSv1.3");
            // RFC 3207: the EHLO from before TLS is forgotten; and no reply to BOGUS comes first.
            c.send("MAIL FROM:<alice@example.test>").expect("503 5.5.1");
            List<String> ehlo = c.send("EHLO x.test").expect("250 ");
            assertThat(ehlo).doesNotContain("250-STARTTLS").contains("250-AUTH=LOGIN PLAIN")
                    .anyMatch(l -> l.startsWith("250-AUTH ") && l.contains(" PLAIN") && l.contains(" LOGIN"));
            c.send("STARTTLS").expect("503 5.5.1");
            c.send("MAIL FROM:<alice@example.test>").expect("530 5.7.0");
        }
    }

    @Test
    void mechanismsAreAdvertisedStrongestFirst() throws Exception {
        try (SmtpClient c = SmtpClient.connectTls(SUBMISSIONS)) {
            c.expect("220 relay.kanmon.test ESMTP Kanmon");
            List<String> ehlo = c.send("EHLO x.test").expect("250 ");
            assertThat(ehlo).doesNotContain("250-STARTTLS");
            String auth = ehlo.stream().filter(l -> l.startsWith("250-AUTH ")).findFirst().orElseThrow();
            List<String> names = List.of(auth.substring(9).split(" "));
            assertThat(names).contains("PLAIN", "LOGIN");
            // PLAIN and LOGIN send the password itself: whatever else is offered is preferred to them.
            assertThat(names.indexOf("PLAIN")).isGreaterThanOrEqualTo(names.size() - 2);
            c.send("STARTTLS").expect("503 5.5.1");
            c.send("MAIL FROM:<alice@example.test>").expect("530 5.7.0");
        }
    }

    @Test
    void tls12CipherReachesTheEnvelopeUnderItsStandardName() throws Exception {
        // Received and the envelope name the cipher as the JDK engine did (TLS_ECDHE_ECDSA_WITH_..., with the
        // local stack's ECDSA certificate), not by BoringSSL's own names (ECDHE-ECDSA-...): what operators and log
        // queries look for stays the same.
        try (SmtpClient c = SmtpClient.connect(SmtpSessionTest.SMTP); SubmittedTopic topic = new SubmittedTopic()) {
            c.expect("220");
            c.send("EHLO trusted.test").expect("250 ");
            c.send("STARTTLS").expect("220");
            c.startTls("TLSv1.2");
            assertThat(c.tlsProtocol()).isEqualTo("TLSv1.2");
            c.send("EHLO trusted.test").expect("250 ");
            c.send("MAIL FROM:<ops@example.test>").expect("250 2.1.0");
            c.send("RCPT TO:<someone@far.test>").expect("250 2.1.5");
            c.send("DATA").expect("354");
            c.raw("Subject: tls 1.2\r\n\r\nbody\r\n.\r\n");
            Envelope envelope = SubmittedTopic.envelope(topic.record(
                    SubmittedTopic.queueId(c.expect("250 2.0.0 Ok: queued as "))));
            assertThat(envelope.tlsProtocol()).isEqualTo("TLSv1.2");
            assertThat(envelope.tlsCipher()).matches("TLS_ECDHE_(RSA|ECDSA)_WITH_\\w+");
        }
    }

    @Test
    void startTlsOnPort25() throws Exception {
        try (SmtpClient c = SmtpClient.connect(SmtpSessionTest.SMTP, "127.0.0.3")) {
            c.expect("220");
            c.send("EHLO x.test").expect("250 ");
            c.send("STARTTLS").expect("220");
            c.startTls();
            List<String> ehlo = c.send("EHLO x.test").expect("250 ");
            assertThat(ehlo).noneMatch(l -> l.contains("AUTH") || l.contains("STARTTLS"));
            c.send("MAIL FROM:<a@far.test>").expect("250");
            c.send("RCPT TO:<b@far.test>").expect("554 5.7.1");
        }
    }

    /**
     * A returning client resumes its TLS 1.3 session from the ticket it was given, on 465 and after STARTTLS on 587,
     * instead of a full handshake: OpenSSL's own client (nobody here wrote it) says "Reused".
     */
    @Test
    void aReturningClientResumesItsSessionFromATicket() throws Exception {
        for (List<String> target : List.of(List.of("-connect", "127.0.0.1:" + SUBMISSIONS),
                List.of("-connect", "127.0.0.1:" + SUBMISSION, "-starttls", "smtp"))) {
            Path session = Files.createTempFile("kanmon-tls-session", ".pem");
            try {
                assertThat(sClient(target, "-sess_out", session)).contains("New, TLSv1.3");
                assertThat(Files.size(session)).as("a ticket was issued").isPositive();
                assertThat(sClient(target, "-sess_in", session)).contains("Reused, TLSv1.3");
            } finally {
                Files.deleteIfExists(session);
            }
        }
    }

    /**
     * One {@code openssl s_client} connection: EHLO after the greeting (after STARTTLS, after s_client's own EHLO),
     * and QUIT once a ticket arrived (it rides with the first reply after the handshake) or, when resuming, once the
     * EHLO is answered.
     */
    private static String sClient(List<String> target, String sessionOption, Path session) throws Exception {
        String stack = System.getenv().getOrDefault("KANMON_STACK", "../.local-stack");
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-CAfile",
                Path.of(stack, "tls", "ca.crt").toString(), "-tls1_3", sessionOption, session.toString()));
        command.addAll(target);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
        watchdog.schedule(p::destroyForcibly, 20, TimeUnit.SECONDS);
        boolean resuming = sessionOption.equals("-sess_in");
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
            int step = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                out.append(line).append('\n');
                if (step == 0 && (line.startsWith("220 ") || line.startsWith("250 "))) {
                    step = 1;
                    w.write("EHLO client.test\r\n");
                    w.flush();
                } else if (step == 1 && (resuming ? line.startsWith("250 ") : line.contains("New Session Ticket"))) {
                    step = 2;
                    w.write("QUIT\r\n");
                    w.flush();
                }
            }
        } finally {
            watchdog.shutdownNow();
        }
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return out.toString();
    }
}
