package dev.kanmon.submission.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DNSBL screening through the running dnsbl-service and the rbldnsd test zones: 127.0.0.66 is listed in
 * bl.test, 127.0.0.3 is not. Authenticated-action {@code block} for this class.
 */
@QuarkusTest
@TestProfile(DnsblScreeningTest.BlockAuthenticated.class)
class DnsblScreeningTest {

    public static final class BlockAuthenticated implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kanmon.submission.dnsbl.authenticated-action", "block");
        }
    }

    @Test
    void listedClientOnPort25GetsTheVerdictAndIsDisconnected() throws Exception {
        try (SmtpClient c = SmtpClient.connect(SmtpSessionTest.SMTP, "127.0.0.66")) {
            assertThat(c.expect("554 5.7.1").get(0)).contains("bl.test");
            assertThat(c.closedByServer()).isTrue();
        }
        try (SmtpClient c = SmtpClient.connect(SmtpSessionTest.SMTP, "127.0.0.3")) {
            c.expect("220 ");
        }
    }

    @Test
    void listedClientWithValidCredentialsIsRefusedUnderBlock() throws Exception {
        String plain = Base64.getEncoder().encodeToString("\0alice\0alice-secret".getBytes(StandardCharsets.UTF_8));
        try (SmtpClient c = SmtpClient.connectTls(SmtpTlsTest.SUBMISSIONS, "127.0.0.66")) {
            c.expect("220 ");
            c.send("EHLO x.test").expect("250 ");
            c.send("AUTH PLAIN " + plain).expect("554 5.7.1");
            c.send("MAIL FROM:<alice@example.test>").expect("530 5.7.0");
        }
        try (SmtpClient c = SmtpClient.connectTls(SmtpTlsTest.SUBMISSIONS, "127.0.0.3")) {
            c.expect("220 ");
            c.send("EHLO x.test").expect("250 ");
            c.send("AUTH PLAIN " + plain).expect("235 2.7.0");
        }
    }
}
