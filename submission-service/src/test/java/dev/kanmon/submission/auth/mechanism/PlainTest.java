package dev.kanmon.submission.auth.mechanism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kanmon.submission.auth.SaslExchange;
import dev.kanmon.submission.auth.SaslStep;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PlainTest {

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void decodesWithAndWithoutAuthzid() throws Exception {
        assertThat(Plain.decode(bytes("\0alice\0alice-secret")))
                .isEqualTo(new Plain.Credentials("", "alice", "alice-secret"));
        assertThat(Plain.decode(bytes("alice\0alice\0pw")))
                .isEqualTo(new Plain.Credentials("alice", "alice", "pw"));
        assertThat(Plain.decode(bytes("\0田中\0パスワード")).authcid()).isEqualTo("田中");
    }

    @Test
    void rejectsMalformedMessages() {
        for (String bad : new String[] {"alice", "alice\0pw", "\0\0pw", "\0alice\0", "a\0b\0c\0d", ""}) {
            assertThatThrownBy(() -> Plain.decode(bytes(bad))).isInstanceOf(MalformedResponseException.class);
        }
        assertThatThrownBy(() -> Plain.decode(new byte[] {0, 'a', 0, (byte) 0xC3, (byte) 0x28}))
                .isInstanceOf(MalformedResponseException.class);
        assertThatThrownBy(() -> Plain.decode(bytes("\0" + "u".repeat(256) + "\0pw")))
                .isInstanceOf(MalformedResponseException.class);
    }

    @Test
    void exchangeAnswers501ForMalformedAnd535ForForeignAuthzid() throws Exception {
        Plain plain = new Plain(TestSupport.unreachableClient(vertx), TestSupport.config(false));
        assertThat(plain.requiresTls()).isTrue();

        SaslExchange exchange = plain.start(TestSupport.CONTEXT);
        SaslStep step = TestSupport.await(exchange.evaluate(null));
        assertThat(step).isInstanceOf(SaslStep.Challenge.class);
        assertThat(((SaslStep.Challenge) step).data()).isEmpty();
        step = TestSupport.await(exchange.evaluate(bytes("no-nul-here")));
        assertThat(((SaslStep.Failure) step).reply().toString()).isEqualTo("501 5.5.2 Cannot decode AUTH response");

        step = TestSupport.await(plain.start(TestSupport.CONTEXT).evaluate(bytes("mallory\0alice\0pw")));
        assertThat(((SaslStep.Failure) step).reply().toString()).startsWith("535 5.7.8");
    }

    @Test
    void unreachableAuthServiceIsTemporaryFailure() throws Exception {
        Plain plain = new Plain(TestSupport.unreachableClient(vertx), TestSupport.config(true));
        // Foreign authzid tolerated by configuration: the request goes out (and meets the closed port).
        SaslStep step = TestSupport.await(plain.start(TestSupport.CONTEXT).evaluate(bytes("a@example.test\0alice\0pw")));
        assertThat(((SaslStep.Failure) step).reply().toString()).isEqualTo("454 4.7.0 Temporary authentication failure");
    }
}
