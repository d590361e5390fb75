package dev.kanmon.submission.auth.mechanism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kanmon.submission.auth.SaslStep;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BearerMechanismsTest {

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
    void parsesRfc7628Example() throws Exception {
        BearerExchange.Credentials c = OAuthBearer.parse(bytes(
                "n,a=user@example.com,\u0001host=server.example.com\u0001port=143\u0001auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\u0001\u0001"));
        assertThat(c.username()).isEqualTo("user@example.com");
        assertThat(c.token()).isEqualTo("vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==");
        assertThat(OAuthBearer.parse(bytes("n,,\u0001auth=bearer tok\u0001\u0001")).username()).isNull();
    }

    @Test
    void parsesXoauth2() throws Exception {
        BearerExchange.Credentials c = XOAuth2.parse(bytes("user=alice\u0001auth=Bearer ya29.tok\u0001\u0001"));
        assertThat(c).isEqualTo(new BearerExchange.Credentials("alice", "ya29.tok"));
    }

    @Test
    void rejectsMalformed() {
        for (String bad : new String[] {"n,,auth=Bearer x", "p=x,,\u0001auth=Bearer x\u0001\u0001",
                "n,,\u0001auth=Basic x\u0001\u0001", "n,,\u0001host=h\u0001\u0001", "n,,\u0001auth=Bearer \u0001\u0001",
                "n,,\u0001\u0001" /* no key/value pair at all: was a StringIndexOutOfBoundsException (SaslFuzzTest) */}) {
            assertThatThrownBy(() -> OAuthBearer.parse(bytes(bad))).as(bad).isInstanceOf(MalformedResponseException.class);
        }
        for (String bad : new String[] {"user=alice\u0001auth=Bearer x", "auth=Bearer x\u0001\u0001",
                "user=alice\u0001\u0001"}) {
            assertThatThrownBy(() -> XOAuth2.parse(bytes(bad))).as(bad).isInstanceOf(MalformedResponseException.class);
        }
    }

    @Test
    void exchangeAnswers501Or454() throws Exception {
        OAuthBearer bearer = new OAuthBearer(TestSupport.unreachableClient(vertx), TestSupport.config(false));
        SaslStep step = TestSupport.await(bearer.start(TestSupport.CONTEXT).evaluate(bytes("junk")));
        assertThat(((SaslStep.Failure) step).reply().toString()).startsWith("501 5.5.2");
        step = TestSupport.await(bearer.start(TestSupport.CONTEXT).evaluate(bytes("n,,\u0001auth=Bearer t\u0001\u0001")));
        assertThat(((SaslStep.Failure) step).reply().toString()).startsWith("454 4.7.0");
    }
}
