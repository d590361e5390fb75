package dev.kanmon.submission.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An ECDSA certificate beside the RSA one (the local stack's pair of each, same name, same CA): OpenSSL's own client
 * (nobody here wrote it) restricted to RSA signatures gets the RSA certificate, and one restricted to ECDSA gets the
 * ECDSA certificate, in TLS 1.2 and 1.3, on 465 and after STARTTLS on 587; an ordinary client, which offers both,
 * gets ECDSA. This class runs BoringSSL; {@link EcdsaCertificateJdkEngineTest} runs the same with the JDK's
 * engine.
 */
@QuarkusTest
@TestProfile(EcdsaCertificateTest.BothCertificates.class)
class EcdsaCertificateTest {

    static final Path STACK_TLS = Path.of(System.getenv().getOrDefault("KANMON_STACK", "../.local-stack"), "tls");

    public static class BothCertificates implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kanmon.submission.tls.ecdsa-cert-path", STACK_TLS.resolve("server-ecdsa.crt").toString(),
                    "kanmon.submission.tls.ecdsa-key-path", STACK_TLS.resolve("server-ecdsa.key").toString(),
                    "kanmon.submission.tls.engine", engine());
        }

        String engine() {
            return "openssl";
        }
    }

    public static final class BothCertificatesJdk extends BothCertificates {
        @Override
        String engine() {
            return "jdk";
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {SmtpTlsTest.SUBMISSIONS, SmtpTlsTest.SUBMISSION})
    void rsaOnlyClientsGetTheRsaCertificate(int port) throws Exception {
        assertThat(handshake(port, "-tls1_2", "-sigalgs", "RSA-PSS+SHA256:RSA+SHA256", "-cipher",
                "ECDHE-RSA-AES128-GCM-SHA256")).contains("Verification: OK").containsPattern("Signature type: RSA");
        assertThat(handshake(port, "-tls1_3", "-sigalgs", "rsa_pss_rsae_sha256:rsa_pkcs1_sha256"))
                .contains("Verification: OK").containsPattern("Signature type: RSA");
    }

    @ParameterizedTest
    @ValueSource(ints = {SmtpTlsTest.SUBMISSIONS, SmtpTlsTest.SUBMISSION})
    void ecdsaClientsGetTheEcdsaCertificate(int port) throws Exception {
        assertThat(handshake(port, "-tls1_2", "-sigalgs", "ECDSA+SHA256", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"))
                .contains("Verification: OK", "Signature type: ECDSA");
        assertThat(handshake(port, "-tls1_3", "-sigalgs", "ecdsa_secp256r1_sha256"))
                .contains("Verification: OK", "Signature type: ECDSA");
        // A client that can do both gets ECDSA: the profile lists ECDHE-ECDSA first, and the server's order wins.
        assertThat(handshake(port, "-tls1_2")).contains("Verification: OK", "Signature type: ECDSA");
        assertThat(handshake(port)).contains("Verification: OK", "Signature type: ECDSA");
    }

    /** One {@code openssl s_client -brief} handshake (after STARTTLS on 587), then QUIT; its output. */
    private static String handshake(int port, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-brief", "-CAfile",
                STACK_TLS.resolve("ca.crt").toString(), "-connect", "127.0.0.1:" + port));
        if (port == SmtpTlsTest.SUBMISSION) {
            command.addAll(List.of("-starttls", "smtp"));
        }
        command.addAll(List.of(options));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as("%s", command).contains("CONNECTION ESTABLISHED");
        return out;
    }
}
