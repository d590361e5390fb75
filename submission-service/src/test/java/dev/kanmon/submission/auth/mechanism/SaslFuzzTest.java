package dev.kanmon.submission.auth.mechanism;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kanmon.submission.auth.SaslExchange;
import dev.kanmon.submission.auth.SaslMechanism;
import dev.kanmon.submission.auth.SaslStep;
import dev.kanmon.submission.auth.client.AuthResult;
import dev.kanmon.submission.auth.client.AuthServiceClient;
import dev.kanmon.submission.auth.client.ScramParameters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz tests of the SASL response decoders (docs/testing.md, "Fuzzing"). Property: a client response either decodes
 * to what it says (checked by re-encoding it) or is a {@link MalformedResponseException}; driven through a whole
 * exchange, every step is a completed future of a challenge, a success the auth-service granted, or a failure with
 * {@code 501}, {@code 535} or (auth-service TEMPFAIL only) {@code 454}, and never an exception, which
 * {@code AuthConversation} would turn into a misleading {@code 454}.
 *
 * <p>The auth-service is a stub ({@link StubClient}) that answers at once with the outcome the input picks, so the
 * fuzzer reaches every parsing step without a server. Inputs use {@link FuzzedDataProvider}: choices from the end
 * of the input, response bytes from the front.
 */
class SaslFuzzTest {

    private static final Set<Integer> FAILURE_CODES = Set.of(501, 535, 454);
    private static Vertx vertx;
    private static StubClient client;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        client = new StubClient(vertx);
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    /** PLAIN: {@code authzid NUL authcid NUL passwd}, each at most 255 octets of UTF-8. */
    @FuzzTest(maxDuration = "10m")
    void plain(byte[] message) {
        Plain.Credentials c;
        try {
            c = Plain.decode(message);
        } catch (MalformedResponseException e) {
            return;
        }
        assertThat(c.authcid()).isNotEmpty();
        assertThat(c.password()).isNotEmpty();
        for (String field : List.of(c.authzid(), c.authcid(), c.password())) {
            assertThat(field).doesNotContain("\0");
            assertThat(utf8(field).length).isLessThanOrEqualTo(255);
        }
        assertThat(utf8(c.authzid() + "\0" + c.authcid() + "\0" + c.password())).isEqualTo(message);
    }

    /** LOGIN: one field per response. */
    @FuzzTest(maxDuration = "10m")
    void login(byte[] response) {
        String field;
        try {
            field = Login.field(response);
        } catch (MalformedResponseException e) {
            return;
        }
        assertThat(field).isNotEmpty().doesNotContain("\0");
        assertThat(utf8(field)).isEqualTo(response);
    }

    /** CRAM-MD5: {@code user SP digest}. */
    @FuzzTest(maxDuration = "10m")
    void cramMd5(byte[] response) {
        CramMd5.Answer a;
        try {
            a = CramMd5.parse(response);
        } catch (MalformedResponseException e) {
            return;
        }
        assertThat(a.digest()).matches("[0-9a-f]{32}");
        assertThat(a.username()).isNotEmpty().doesNotContain("\0");
        assertThat(a.username() + " " + a.digest()).isEqualToIgnoringCase(new String(response, StandardCharsets.UTF_8));
    }

    /** SCRAM-SHA-256 client-first-message and the saslname escapes. */
    @FuzzTest(maxDuration = "10m")
    void scramClientFirst(byte[] response) {
        String text;
        try {
            text = Steps.utf8(response);
        } catch (MalformedResponseException e) {
            return;
        }
        if (text.indexOf(',') < 0) {
            // saslName is only applied to comma-free attribute values; within those, escapes round-trip.
            try {
                String name = ScramSha256.saslName(text);
                assertThat(name.replace("=", "=3D").replace(",", "=2C")).isEqualTo(text);
            } catch (MalformedResponseException e) {
                // fine
            }
        }
        ScramSha256.ClientFirst first;
        try {
            first = ScramSha256.parseClientFirst(text);
        } catch (MalformedResponseException e) {
            return;
        }
        assertThat(first.gs2Header() + first.bare()).isEqualTo(text);
        assertThat(first.gs2Header()).matches("[ny],[^,]*,");
        assertThat(first.username()).isNotEmpty();
        assertThat(first.nonce()).isNotEmpty().doesNotContain(",");
    }

    /** OAUTHBEARER and XOAUTH2 client messages. */
    @FuzzTest(maxDuration = "10m")
    void bearer(FuzzedDataProvider data) {
        boolean xoauth2 = data.consumeBoolean();
        byte[] message = data.consumeRemainingAsBytes();
        BearerExchange.Credentials c;
        try {
            c = xoauth2 ? XOAuth2.parse(message) : OAuthBearer.parse(message);
        } catch (MalformedResponseException e) {
            return;
        }
        assertThat(c.token()).isNotEmpty().isEqualTo(c.token().trim());
        if (xoauth2) {
            assertThat(c.username()).isNotEmpty();
        }
    }

    /**
     * Whole exchanges of every mechanism: up to five client responses (none, fuzzed bytes, or for SCRAM a
     * client-final built on the server's nonce so that the proof parsing is reached), against a stub auth-service.
     */
    @FuzzTest(maxDuration = "10m")
    void exchanges(FuzzedDataProvider data) {
        int which = data.consumeInt(0, 5);
        client.outcome = data.pickValue(AuthResult.Outcome.values());
        boolean ignoreForeign = data.consumeBoolean();
        var config = TestSupport.config(ignoreForeign);
        SaslMechanism mechanism = switch (which) {
            case 0 -> new Plain(client, config);
            case 1 -> new Login(client, config);
            case 2 -> new CramMd5(client, config);
            case 3 -> new ScramSha256(client, config);
            case 4 -> new OAuthBearer(client, config);
            default -> new XOAuth2(client, config);
        };
        SaslExchange exchange = mechanism.start(TestSupport.CONTEXT);
        int steps = data.consumeInt(1, 5);
        byte[] clientFirst = null;
        byte[] challenge = null;
        for (int i = 0; i < steps; i++) {
            int kind = data.consumeInt(0, 3);
            byte[] response = switch (kind) {
                case 0 -> null;
                case 3 -> scramFinal(clientFirst, challenge, data);
                default -> data.consumeBytes(data.consumeInt(0, 600));
            };
            if (clientFirst == null && response != null) {
                clientFirst = response;
            }
            int callsBefore = client.calls;
            Future<SaslStep> future = exchange.evaluate(response);
            assertThat(future.isComplete()).as("a stubbed step completes at once").isTrue();
            if (future.failed()) {
                throw new AssertionError(mechanism.name() + " step failed", future.cause());
            }
            SaslStep step = future.result();
            assertThat(step).isNotNull();
            boolean asked = client.calls > callsBefore;
            if (step instanceof SaslStep.Challenge c) {
                assertThat(c.data()).isNotNull();
                challenge = c.data();
                continue;
            }
            if (step instanceof SaslStep.Success s) {
                assertThat(asked).as("success without the auth-service").isTrue();
                assertThat(client.outcome).isEqualTo(AuthResult.Outcome.SUCCESS);
                assertThat(s.user()).isNotNull();
                return;
            }
            int code = ((SaslStep.Failure) step).reply().code();
            assertThat(code).as("failure reply").isIn(FAILURE_CODES);
            if (code == 454) {
                assertThat(asked && client.outcome == AuthResult.Outcome.TEMPFAIL).as("454 only from TEMPFAIL").isTrue();
            }
            return;
        }
    }

    /** {@code c=<gs2 header>,r=<client+server nonce>} and fuzzed rest, or fuzzed bytes when there is no nonce yet. */
    private static byte[] scramFinal(byte[] clientFirst, byte[] serverFirst, FuzzedDataProvider data) {
        byte[] rest = data.consumeBytes(data.consumeInt(0, 100));
        if (clientFirst == null || serverFirst == null) {
            return rest;
        }
        String first = new String(clientFirst, StandardCharsets.UTF_8);
        String server = new String(serverFirst, StandardCharsets.UTF_8);
        int c1 = first.indexOf(',');
        int c2 = c1 < 0 ? -1 : first.indexOf(',', c1 + 1);
        int comma = server.indexOf(',');
        if (c2 < 0 || !server.startsWith("r=") || comma < 0) {
            return rest;
        }
        String prefix = "c=" + Base64.getEncoder().encodeToString(utf8(first.substring(0, c2 + 1)))
                + "," + server.substring(0, comma);
        byte[] p = utf8(prefix);
        byte[] out = Arrays.copyOf(p, p.length + rest.length);
        System.arraycopy(rest, 0, out, p.length, rest.length);
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** An auth-service that answers every call at once with {@link #outcome}. */
    static final class StubClient extends AuthServiceClient {

        volatile AuthResult.Outcome outcome = AuthResult.Outcome.FAILURE;
        volatile int calls;

        StubClient(Vertx vertx) {
            super(vertx, TestSupport.config(false), false, dev.kanmon.submission.identity.ServiceCredential.fixed("Bearer test"));
        }

        private Future<AuthResult> answer(byte[] signature) {
            calls++;
            return Future.succeededFuture(switch (outcome) {
                case SUCCESS -> new AuthResult(AuthResult.Outcome.SUCCESS, "user", List.of("user@example.test"), null,
                        signature, null);
                case FAILURE -> new AuthResult(AuthResult.Outcome.FAILURE, null, List.of(), Steps.INVALID, null, null);
                case TEMPFAIL -> new AuthResult(AuthResult.Outcome.TEMPFAIL, null, List.of(), AuthResult.TEMPORARY,
                        null, null);
            });
        }

        @Override
        public Future<AuthResult> password(String username, String password, String authzid, String clientIp,
                String mechanism, List<String> dnsblListings) {
            return answer(null);
        }

        @Override
        public Future<AuthResult> cramMd5(String username, String challenge, String digest, String clientIp,
                List<String> dnsblListings) {
            return answer(null);
        }

        @Override
        public Future<ScramParameters> scramParameters(String username, String clientIp) {
            calls++;
            if (outcome == AuthResult.Outcome.TEMPFAIL) {
                return Future.succeededFuture(new ScramParameters(null, 0, AuthResult.TEMPORARY));
            }
            return Future.succeededFuture(new ScramParameters(new byte[16], 4096, null));
        }

        @Override
        public Future<AuthResult> scramProof(String username, String authMessage, byte[] clientProof, String clientIp,
                List<String> dnsblListings) {
            return answer(new byte[32]);
        }

        @Override
        public Future<AuthResult> token(String token, String username, String clientIp, String mechanism,
                List<String> dnsblListings) {
            return answer(null);
        }
    }
}
