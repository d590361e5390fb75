package dev.kanmon.submission.auth.mechanism;

import dev.kanmon.submission.auth.AuthContext;
import dev.kanmon.submission.auth.SaslStep;
import dev.kanmon.submission.auth.client.AuthServiceClient;
import dev.kanmon.submission.auth.client.SubmissionAuthConfig;
import dev.kanmon.submission.identity.ServiceCredential;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real {@link AuthServiceClient} aimed at a closed loopback port: decoding tests never reach it, and anything that
 * does get through must come back as the client's TEMPFAIL, never as a success.
 */
final class TestSupport {

    static final AuthContext CONTEXT = new AuthContext("192.0.2.7", "relay.example.test", true,
            io.vertx.core.Future.succeededFuture(null));

    private TestSupport() {
    }

    static SubmissionAuthConfig config(boolean ignoreForeignAuthzid) {
        return new SubmissionAuthConfig() {
            @Override public String url() { return "http://127.0.0.1:1"; }
            @Override public Duration timeout() { return Duration.ofSeconds(2); }
            @Override public Duration connectTimeout() { return Duration.ofSeconds(1); }
            @Override public int maxPoolSize() { return 1; }
            @Override public Plain plain() {
                return new Plain() {
                    @Override public boolean ignoreForeignAuthzid() { return ignoreForeignAuthzid; }
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

    static AuthServiceClient unreachableClient(Vertx vertx) {
        return new AuthServiceClient(vertx, config(false), false, ServiceCredential.fixed("Bearer test"));
    }

    static SaslStep await(Future<SaslStep> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
