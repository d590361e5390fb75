package dev.kanmon.submission.auth.mechanism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kanmon.submission.auth.SaslStep;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScramSha256Test {

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    @Test
    void parsesRfc7677ClientFirst() throws Exception {
        ScramSha256.ClientFirst first = ScramSha256.parseClientFirst("n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        assertThat(first.gs2Header()).isEqualTo("n,,");
        assertThat(first.bare()).isEqualTo("n=user,r=rOprNGfwEbeRWgbNEkqO");
        assertThat(first.username()).isEqualTo("user");
        assertThat(first.nonce()).isEqualTo("rOprNGfwEbeRWgbNEkqO");
        assertThat(ScramSha256.parseClientFirst("y,a=al=2Cice,n=al=2Cice,r=abc").username()).isEqualTo("al,ice");
    }

    @Test
    void rejectsChannelBindingForeignAuthzidAndBadSyntax() {
        for (String bad : new String[] {"p=tls-unique,,n=user,r=abc", "n,a=bob,n=alice,r=abc", "n,,r=abc",
                "n,,n=user", "n,,n=,r=abc", "n,,n=us=41er,r=abc", "n,,n=user,r=abc,m=ext", "garbage"}) {
            assertThatThrownBy(() -> ScramSha256.parseClientFirst(bad)).as(bad)
                    .isInstanceOf(MalformedResponseException.class);
        }
    }

    @Test
    void malformedFirstMessageIs501() throws Exception {
        ScramSha256 scram = new ScramSha256(TestSupport.unreachableClient(vertx), TestSupport.config(false));
        SaslStep step = TestSupport.await(scram.start(TestSupport.CONTEXT)
                .evaluate("p=tls-unique,,n=user,r=abc".getBytes(StandardCharsets.UTF_8)));
        assertThat(((SaslStep.Failure) step).reply().toString()).startsWith("501 5.5.2");
    }

    @Test
    void unreachableAuthServiceIs454() throws Exception {
        ScramSha256 scram = new ScramSha256(TestSupport.unreachableClient(vertx), TestSupport.config(false));
        SaslStep step = TestSupport.await(scram.start(TestSupport.CONTEXT)
                .evaluate("n,,n=user,r=abc".getBytes(StandardCharsets.UTF_8)));
        assertThat(((SaslStep.Failure) step).reply().toString()).startsWith("454 4.7.0");
    }
}
