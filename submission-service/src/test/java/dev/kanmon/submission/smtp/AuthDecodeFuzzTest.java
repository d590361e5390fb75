package dev.kanmon.submission.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Fuzz test of {@link AuthConversation#decode} (docs/testing.md, "Fuzzing"): the base64 framing of every AUTH
 * initial response and continuation line. Property: {@code null} (answered {@code 501 5.5.2}) or the decoded
 * octets, never an exception; only base64 characters are accepted, and what it decodes encodes back to the same
 * octets.
 */
class AuthDecodeFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void decode(byte[] input) {
        // LineFramer hands the command layer strict UTF-8; a lenient decode gives the same strings and more.
        String line = new String(input, StandardCharsets.UTF_8);
        byte[] decoded = AuthConversation.decode(line);
        if (decoded == null) {
            return;
        }
        if (line.equals("=")) {
            assertThat(decoded).isEmpty();
            return;
        }
        assertThat(line).matches("[A-Za-z0-9+/]*={0,2}");
        assertThat(Base64.getDecoder().decode(Base64.getEncoder().encodeToString(decoded))).isEqualTo(decoded);
        assertThat(decoded.length).isLessThanOrEqualTo(line.length() * 3 / 4 + 2);
    }
}
