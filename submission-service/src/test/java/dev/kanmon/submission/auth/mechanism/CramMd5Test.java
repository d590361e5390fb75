package dev.kanmon.submission.auth.mechanism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kanmon.submission.auth.SaslExchange;
import dev.kanmon.submission.auth.SaslStep;
import dev.kanmon.submission.auth.client.AuthResult;
import dev.kanmon.submission.auth.client.AuthServiceClient;
import dev.kanmon.submission.identity.ServiceCredential;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * The seed's worked example: the server's challenge {@code <4874.1007276777@asao.gcd.org>} answered by a client
     * with {@code sengoku 562eae...} must reach the auth-service as exactly that challenge, user and digest (which
     * the auth-service's own seed-vector test proves valid for "secret phrase"), and its verdict is the exchange's.
     */
    @Test
    void seedVector() throws Exception {
        String seedChallenge = "<4874.1007276777@asao.gcd.org>";
        List<String> forwarded = new ArrayList<>();
        AuthServiceClient authService = new AuthServiceClient(vertx, TestSupport.config(false), false,
                ServiceCredential.fixed("Bearer test")) {
            @Override
            public Future<AuthResult> cramMd5(String username, String challenge, String digest, String clientIp,
                    List<String> dnsblListings) {
                forwarded.addAll(List.of(username, challenge, digest, clientIp));
                return Future.succeededFuture(new AuthResult(AuthResult.Outcome.SUCCESS, username,
                        List.of("sengoku@example.test"), null, null, null, "u-1"));
            }
        };
        CramMd5 cram = new CramMd5(authService, TestSupport.config(false)) {
            private boolean issued;

            @Override
            String challenge(String serverName) {
                // one msg-id per exchange: a second one would not be the challenge the client answered
                String c = issued ? "<1.1@other.test>" : seedChallenge;
                issued = true;
                return c;
            }
        };
        SaslExchange exchange = cram.start(TestSupport.CONTEXT);
        SaslStep challenge = TestSupport.await(exchange.evaluate(null));
        assertThat(new String(((SaslStep.Challenge) challenge).data(), StandardCharsets.US_ASCII))
                .isEqualTo(seedChallenge);

        SaslStep done = TestSupport.await(exchange.evaluate(
                "sengoku 562EAEACDE6C4233D63C66B1D268F586".getBytes(StandardCharsets.US_ASCII)));
        assertThat(forwarded).containsExactly("sengoku", seedChallenge, "562eaeacde6c4233d63c66b1d268f586",
                TestSupport.CONTEXT.clientIp());
        assertThat(((SaslStep.Success) done).user().username()).isEqualTo("sengoku");
        assertThat(((SaslStep.Success) done).user().mechanism()).isEqualTo("CRAM-MD5");
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
        assertThat(cram.requiresTls()).isFalse();
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
