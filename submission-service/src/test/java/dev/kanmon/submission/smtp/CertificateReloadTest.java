package dev.kanmon.submission.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A certificate swapped under the running server (a Kubernetes secret volume's link flip) is served to the next
 * connection on 465 and after STARTTLS on 587 and 25, by every verticle instance, while sessions opened before
 * go on with theirs; a broken swap keeps the certificate served. The periodic check is set far out: the test asks
 * for the check itself, which is what the timer calls.
 */
@QuarkusTest
@TestProfile(CertificateReloadTest.SecretVolume.class)
class CertificateReloadTest {

    static final Path SECRET = Path.of("target", "cert-reload-secret").toAbsolutePath();

    public static final class SecretVolume implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                TestCertificates.mountStackCertificate(SECRET);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("kanmon.submission.tls.cert-path", SECRET.resolve("tls.crt").toString(),
                    "kanmon.submission.tls.key-path", SECRET.resolve("tls.key").toString(),
                    "kanmon.submission.tls.reload-interval", "1h",
                    // One pair, the one swapped: without the local profile's ECDSA certificate every client gets it.
                    "kanmon.submission.tls.ecdsa-cert-path", "", "kanmon.submission.tls.ecdsa-key-path", "",
                    // Two event loops share each port: both must serve the new certificate.
                    "kanmon.submission.instances", "2");
        }
    }

    @Inject
    SmtpServer server;

    @Inject
    MeterRegistry registry;

    @Test
    void aSwappedCertificateIsServedToTheNextConnectionWhileOpenSessionsGoOn() throws Exception {
        try (SmtpClient implicit = SmtpClient.connectTls(SmtpTlsTest.SUBMISSIONS);
                SmtpClient startTls = startTls(SmtpTlsTest.SUBMISSION, "127.0.0.1")) {
            implicit.expect("220");
            implicit.send("EHLO before.test").expect("250 ");
            BigInteger old = implicit.peerCertificate().getSerialNumber();
            assertThat(startTls.peerCertificate().getSerialNumber()).isEqualTo(old);

            byte[][] renewed = TestCertificates.issueRsa();
            TestCertificates.swap(SECRET, renewed[0], renewed[1]);
            assertThat(reload()).as("the new certificate is taken").isTrue();
            assertThat(reload()).as("unchanged files are not loaded again").isFalse();

            BigInteger fresh = serial(renewed[0]);
            for (int i = 0; i < 4; i++) { // round-robin over both verticle instances
                try (SmtpClient c = SmtpClient.connectTls(SmtpTlsTest.SUBMISSIONS)) {
                    c.expect("220");
                    assertThat(c.peerCertificate().getSerialNumber()).as("465, connection %d", i).isEqualTo(fresh);
                }
                try (SmtpClient c = startTls(SmtpTlsTest.SUBMISSION, "127.0.0.1")) {
                    assertThat(c.peerCertificate().getSerialNumber()).as("587, connection %d", i).isEqualTo(fresh);
                }
                try (SmtpClient c = startTls(SmtpSessionTest.SMTP, "127.0.0.3")) {
                    assertThat(c.peerCertificate().getSerialNumber()).as("25, connection %d", i).isEqualTo(fresh);
                }
            }

            // The sessions from before the swap are untouched and still talk.
            implicit.send("NOOP").expect("250");
            implicit.send("EHLO still.test").expect("250 ");
            assertThat(implicit.peerCertificate().getSerialNumber()).isEqualTo(old);
            startTls.send("NOOP").expect("250");
            assertThat(startTls.peerCertificate().getSerialNumber()).isEqualTo(old);
        }
    }

    @Test
    void aBrokenSwapKeepsTheServedCertificate() throws Exception {
        BigInteger served;
        try (SmtpClient c = SmtpClient.connectTls(SmtpTlsTest.SUBMISSIONS)) {
            served = c.peerCertificate().getSerialNumber();
        }
        double failures = failures();

        // A certificate and a key from two different issues: each parses, together they fail every handshake.
        byte[][] one = TestCertificates.issueRsa();
        byte[][] other = TestCertificates.issueRsa();
        TestCertificates.swap(SECRET, one[0], other[1]);
        assertThat(reload()).isFalse();
        assertThat(failures()).isEqualTo(failures + 1);
        assertThat(reload()).as("the same broken files are reported once").isFalse();
        assertThat(failures()).isEqualTo(failures + 1);

        TestCertificates.swap(SECRET, "-----BEGIN CERTIFICATE-----\nnot base64\n".getBytes(StandardCharsets.US_ASCII),
                one[1]);
        assertThat(reload()).isFalse();
        assertThat(failures()).isEqualTo(failures + 2);

        try (SmtpClient c = SmtpClient.connectTls(SmtpTlsTest.SUBMISSIONS)) {
            c.expect("220");
            assertThat(c.peerCertificate().getSerialNumber()).isEqualTo(served);
        }
        try (SmtpClient c = startTls(SmtpTlsTest.SUBMISSION, "127.0.0.1")) {
            assertThat(c.peerCertificate().getSerialNumber()).isEqualTo(served);
        }

        // Fixed files are taken at the next check.
        TestCertificates.swap(SECRET, one[0], one[1]);
        assertThat(reload()).isTrue();
        try (SmtpClient c = SmtpClient.connectTls(SmtpTlsTest.SUBMISSIONS)) {
            assertThat(c.peerCertificate().getSerialNumber()).isEqualTo(serial(one[0]));
        }
    }

    private boolean reload() throws Exception {
        return server.reloadCertificates().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private double failures() {
        return registry.counter("kanmon.smtp.tls.certificate.reloads", "result", "failure").count();
    }

    private static SmtpClient startTls(int port, String source) throws Exception {
        SmtpClient c = SmtpClient.connect(port, source);
        c.expect("220");
        c.send("EHLO x.test").expect("250 ");
        c.send("STARTTLS").expect("220");
        c.startTls();
        return c;
    }

    private static BigInteger serial(byte[] pem) throws Exception {
        return ((X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem))).getSerialNumber();
    }
}
