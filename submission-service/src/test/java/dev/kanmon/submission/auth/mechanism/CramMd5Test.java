package dev.kanmon.submission.auth.mechanism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kanmon.submission.auth.SaslExchange;
import dev.kanmon.submission.auth.SaslStep;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CramMd5Test {

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    /** The seed's worked example (RFC 2195 style): what a client computes and what we parse. */
    @Test
    void seedVector() throws Exception {
        Mac mac = Mac.getInstance("HmacMD5");
        mac.init(new SecretKeySpec("secret phrase".getBytes(StandardCharsets.US_ASCII), "HmacMD5"));
        String digest = HexFormat.of().formatHex(
                mac.doFinal("<4874.1007276777@asao.gcd.org>".getBytes(StandardCharsets.US_ASCII)));
        String answer = "sengoku " + digest;
        assertThat(answer).isEqualTo("sengoku 562eaeacde6c4233d63c66b1d268f586");
        assertThat(CramMd5.parse(answer.getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new CramMd5.Answer("sengoku", "562eaeacde6c4233d63c66b1d268f586"));
    }

    @Test
    void parsesUpperCaseDigestAndUsernameWithSpaces() throws Exception {
        assertThat(CramMd5.parse("john smith 562EAEACDE6C4233D63C66B1D268F586".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new CramMd5.Answer("john smith", "562eaeacde6c4233d63c66b1d268f586"));
    }

    @Test
    void rejectsMalformedAnswers() {
        for (String bad : new String[] {"sengoku", " 562eaeacde6c4233d63c66b1d268f586", "sengoku 562eaeac",
                "sengoku 562eaeacde6c4233d63c66b1d268f58z", ""}) {
            assertThatThrownBy(() -> CramMd5.parse(bad.getBytes(StandardCharsets.US_ASCII)))
                    .isInstanceOf(MalformedResponseException.class);
        }
    }

    @Test
    void serverSpeaksFirstWithAMsgIdChallenge() throws Exception {
        CramMd5 cram = new CramMd5(TestSupport.unreachableClient(vertx), TestSupport.config(false));
        assertThat(cram.plaintext()).isFalse();
        SaslExchange exchange = cram.start(TestSupport.CONTEXT);
        SaslStep step = TestSupport.await(exchange.evaluate(null));
        String challenge = new String(((SaslStep.Challenge) step).data(), StandardCharsets.US_ASCII);
        assertThat(challenge).matches("<\\d+\\.\\d+@relay\\.example\\.test>");
        step = TestSupport.await(exchange.evaluate("sengoku nothex".getBytes(StandardCharsets.US_ASCII)));
        assertThat(((SaslStep.Failure) step).reply().toString()).startsWith("501 5.5.2");

        step = TestSupport.await(cram.start(TestSupport.CONTEXT).evaluate("initial".getBytes(StandardCharsets.US_ASCII)));
        assertThat(((SaslStep.Failure) step).reply().toString()).startsWith("501 5.5.2");
    }
}
