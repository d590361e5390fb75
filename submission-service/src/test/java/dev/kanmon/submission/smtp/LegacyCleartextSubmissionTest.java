package dev.kanmon.submission.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code tls.required-on-submission=false}, for operators who must take legacy clients on 587: before TLS the
 * challenge-response mechanisms are offered and MAIL asks for AUTH, not STARTTLS; plaintext mechanisms still
 * need TLS.
 */
@QuarkusTest
@TestProfile(LegacyCleartextSubmissionTest.CleartextAllowed.class)
class LegacyCleartextSubmissionTest {

    public static final class CleartextAllowed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kanmon.submission.tls.required-on-submission", "false");
        }
    }

    @Test
    void challengeResponseBeforeTlsWhenCleartextIsAllowed() throws Exception {
        try (SmtpClient c = SmtpClient.connect(SmtpTlsTest.SUBMISSION)) {
            c.expect("220");
            List<String> ehlo = c.send("EHLO x.test").expect("250 ");
            assertThat(ehlo).contains("250-STARTTLS")
                    .anyMatch(l -> l.startsWith("250-AUTH ") && l.contains("CRAM-MD5"))
                    .noneMatch(l -> l.matches(".*AUTH.*\\b(PLAIN|LOGIN)\\b.*"));
            c.send("MAIL FROM:<alice@example.test>").expect("530 5.7.0 Authentication required");
            c.send("AUTH PLAIN AGFsaWNlAGFsaWNlLXNlY3JldA==").expect("538 5.7.11");
            c.send("AUTH NOSUCH").expect("504 5.5.4");
        }
    }
}
