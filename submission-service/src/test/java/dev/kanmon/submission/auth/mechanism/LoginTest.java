package dev.kanmon.submission.auth.mechanism;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.submission.auth.SaslExchange;
import dev.kanmon.submission.auth.SaslStep;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LoginTest {

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
    void promptsForUsernameThenPassword() throws Exception {
        Login login = new Login(TestSupport.unreachableClient(vertx), TestSupport.config(false));
        SaslExchange exchange = login.start(TestSupport.CONTEXT);
        SaslStep step = TestSupport.await(exchange.evaluate(null));
        assertThat(new String(((SaslStep.Challenge) step).data(), StandardCharsets.US_ASCII)).isEqualTo("Username:");
        step = TestSupport.await(exchange.evaluate("alice".getBytes(StandardCharsets.UTF_8)));
        assertThat(new String(((SaslStep.Challenge) step).data(), StandardCharsets.US_ASCII)).isEqualTo("Password:");
        step = TestSupport.await(exchange.evaluate("pw".getBytes(StandardCharsets.UTF_8)));
        assertThat(((SaslStep.Failure) step).reply().code()).isEqualTo(454);
    }

    @Test
    void initialResponseIsTheUsername() throws Exception {
        Login login = new Login(TestSupport.unreachableClient(vertx), TestSupport.config(false));
        SaslStep step = TestSupport.await(login.start(TestSupport.CONTEXT).evaluate("alice".getBytes(StandardCharsets.UTF_8)));
        assertThat(new String(((SaslStep.Challenge) step).data(), StandardCharsets.US_ASCII)).isEqualTo("Password:");
    }

    @Test
    void emptyOrBinaryFieldsAreMalformed() throws Exception {
        Login login = new Login(TestSupport.unreachableClient(vertx), TestSupport.config(false));
        SaslExchange exchange = login.start(TestSupport.CONTEXT);
        TestSupport.await(exchange.evaluate(null));
        SaslStep step = TestSupport.await(exchange.evaluate(new byte[0]));
        assertThat(((SaslStep.Failure) step).reply().toString()).startsWith("501 5.5.2");

        exchange = login.start(TestSupport.CONTEXT);
        TestSupport.await(exchange.evaluate("alice".getBytes(StandardCharsets.UTF_8)));
        step = TestSupport.await(exchange.evaluate(new byte[] {'p', 0, 'w'}));
        assertThat(((SaslStep.Failure) step).reply().toString()).startsWith("501 5.5.2");
    }
}
