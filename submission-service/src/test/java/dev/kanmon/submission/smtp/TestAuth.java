package dev.kanmon.submission.smtp;

import dev.kanmon.submission.auth.SaslMechanism;
import dev.kanmon.submission.auth.client.AuthResult;
import dev.kanmon.submission.auth.client.AuthServiceClient;
import dev.kanmon.submission.auth.client.SubmissionAuthConfig;
import dev.kanmon.submission.auth.mechanism.CramMd5;
import dev.kanmon.submission.auth.mechanism.Plain;
import dev.kanmon.submission.identity.ServiceCredential;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The real PLAIN and CRAM-MD5 mechanisms for dialogues, with the auth-service's verdicts given by the test: a user
 * name and password in {@code users} is a SUCCESS with the addresses listed, anything else the auth-service's 535.
 */
public final class TestAuth {

    private TestAuth() {
    }

    /** PLAIN with {@code user -> password}; the user owns {@code user@example.test}. */
    public static SaslMechanism plain(Map<String, String> users) {
        return plain(users, dnsbl -> { });
    }

    /** PLAIN as above, handing {@code dnsbl} the DNSBL listings each credential check carries (null: not checked). */
    public static SaslMechanism plain(Map<String, String> users, Consumer<List<String>> dnsbl) {
        return new Plain(client(users, dnsbl), config());
    }

    /** CRAM-MD5 whose every answer the auth-service refuses (EHLO lists need a mechanism that does not require TLS). */
    public static SaslMechanism cramMd5() {
        return new CramMd5(client(Map.of(), dnsbl -> { }), config());
    }

    private static AuthServiceClient client(Map<String, String> users, Consumer<List<String>> dnsbl) {
        return new AuthServiceClient(Dialogue.vertx(), config(), false, ServiceCredential.fixed("Bearer test")) {
            @Override
            public Future<AuthResult> password(String username, String password, String authzid, String clientIp,
                    String mechanism, List<String> dnsblListings) {
                dnsbl.accept(dnsblListings);
                if (password.equals(users.get(username))) {
                    return Future.succeededFuture(new AuthResult(AuthResult.Outcome.SUCCESS, username,
                            List.of(username + "@example.test"), null, null, null, "id-" + username));
                }
                return Future.succeededFuture(new AuthResult(AuthResult.Outcome.FAILURE, null, List.of(),
                        dev.kanmon.core.smtp.SmtpReply.of(535, "5.7.8", "Authentication credentials invalid"), null,
                        null));
            }

            @Override
            public Future<AuthResult> cramMd5(String username, String challenge, String digest, String clientIp,
                    List<String> dnsblListings) {
                return password(username, "", null, clientIp, "CRAM-MD5", dnsblListings);
            }
        };
    }

    private static SubmissionAuthConfig config() {
        return new SubmissionAuthConfig() {
            @Override public String url() { return "http://127.0.0.1:1"; }
            @Override public Duration timeout() { return Duration.ofSeconds(1); }
            @Override public Duration connectTimeout() { return Duration.ofSeconds(1); }
            @Override public int maxPoolSize() { return 1; }
            @Override public Plain plain() {
                return new Plain() {
                    @Override public boolean ignoreForeignAuthzid() { return false; }
                    @Override public boolean enabled() { return true; }
                };
            }
            @Override public Toggle login() { return () -> true; }
            @Override public Toggle cramMd5() { return () -> true; }
            @Override public Toggle scramSha256() { return () -> true; }
            @Override public Toggle oauthbearer() { return () -> true; }
            @Override public Toggle xoauth2() { return () -> true; }
        };
    }
}
