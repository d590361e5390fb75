package dev.kanmon.submission.identity;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * The submission-service's access token from Keycloak (client credentials grant of
 * {@link ServiceIdentityConfig#clientId()}), cached and shared by every event loop. While the token is valid a call
 * costs one volatile read: {@link #authorization()} answers with a completed future. Once less than
 * {@code refresh-before} is left, the first caller starts one renewal in the background and keeps using the current
 * token; only when there is no valid token at all (start-up, Keycloak unreachable for a whole token lifetime, a token
 * the callee refused) do callers wait, all for the same request, each resumed on its own context.
 */
@ApplicationScoped
public class KeycloakServiceCredential implements ServiceCredential {

    private static final Logger LOG = Logger.getLogger(KeycloakServiceCredential.class);

    /** A token and the instants (nanoTime) at which to renew it and after which it is no longer used. */
    record Token(String header, long renewAt, long expiresAt) {
    }

    private final Vertx vertx;
    private final WebClient client;
    private final ServiceIdentityConfig config;
    private final MeterRegistry registry;
    private final LongSupplier clock;
    private final AtomicReference<Token> token = new AtomicReference<>();
    /** The token request in flight, if any. */
    private final AtomicReference<Future<Token>> pending = new AtomicReference<>();
    private volatile long failedUntil;
    private volatile Throwable lastFailure;

    @Inject
    public KeycloakServiceCredential(Vertx vertx, ServiceIdentityConfig config, MeterRegistry registry) {
        this(vertx, config, registry, System::nanoTime);
    }

    KeycloakServiceCredential(Vertx vertx, ServiceIdentityConfig config, MeterRegistry registry, LongSupplier clock) {
        this.vertx = vertx;
        this.config = config;
        this.registry = registry;
        this.clock = clock;
        this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setMaxPoolSize(2)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.timeout().toMillis())));
    }

    /** Ask for the first token at start, so that the first SMTP AUTH does not wait for it. */
    void warmUp(@Observes StartupEvent event) {
        refresh().onFailure(e -> LOG.warnf("no service token from %s yet (%s); internal calls will ask again",
                config.tokenUrl(), e.toString()));
    }

    @Override
    public Future<String> authorization() {
        Token t = token.get();
        long now = clock.getAsLong();
        if (t != null && now - t.expiresAt() < 0) {
            if (now - t.renewAt() >= 0) {
                refresh(); // in the background; this call goes on with the still valid token
            }
            return Future.succeededFuture(t.header());
        }
        if (now - failedUntil < 0) {
            return Future.failedFuture(new IllegalStateException("no service token: " + lastFailure));
        }
        Future<Token> shared = refresh();
        Context caller = Vertx.currentContext();
        if (caller == null || shared.isComplete()) {
            return shared.map(Token::header);
        }
        // The request completes on the context that started it: resume this caller on its own event loop.
        Promise<String> here = Promise.promise();
        shared.onComplete(r -> caller.runOnContext(v -> {
            if (r.succeeded()) {
                here.complete(r.result().header());
            } else {
                here.fail(r.cause());
            }
        }));
        return here.future();
    }

    @Override
    public void rejected(String authorization) {
        Token t = token.get();
        if (t != null && t.header().equals(authorization) && token.compareAndSet(t, null)) {
            registry.counter("kanmon.submission.identity.tokens.rejected").increment();
            LOG.infof("a callee refused the service token of %s; asking Keycloak for a new one", config.clientId());
        }
    }

    /** Starts a token request unless one is in flight; returns the one in flight. */
    private Future<Token> refresh() {
        Promise<Token> mine = Promise.promise();
        Future<Token> running = pending.compareAndExchange(null, mine.future());
        if (running != null) {
            return running;
        }
        long sentAt = clock.getAsLong();
        MultiMap form = MultiMap.caseInsensitiveMultiMap()
                .add("grant_type", "client_credentials")
                .add("client_id", config.clientId())
                .add("client_secret", config.clientSecret());
        client.postAbs(config.tokenUrl())
                .timeout(config.timeout().toMillis())
                .sendForm(form)
                .map(response -> parse(response, sentAt))
                .onComplete(r -> {
                    pending.set(null);
                    if (r.succeeded()) {
                        token.set(r.result());
                        registry.counter("kanmon.submission.identity.tokens", "result", "ok").increment();
                        mine.complete(r.result());
                    } else {
                        lastFailure = r.cause();
                        failedUntil = clock.getAsLong() + config.failureBackoff().toNanos();
                        registry.counter("kanmon.submission.identity.tokens", "result", "failed").increment();
                        LOG.warnf("service token request to %s failed: %s", config.tokenUrl(), r.cause().toString());
                        mine.fail(r.cause());
                    }
                });
        return mine.future();
    }

    private Token parse(HttpResponse<?> response, long sentAt) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token endpoint answered HTTP " + response.statusCode() + " "
                    + response.bodyAsString());
        }
        JsonObject body = response.bodyAsJsonObject();
        String accessToken = body.getString("access_token");
        if (accessToken == null || accessToken.isEmpty()) {
            throw new IllegalStateException("token endpoint answered without access_token");
        }
        // Lifetimes count from the moment the request was sent, so a slow answer errs on the early side.
        long lifetime = body.getLong("expires_in", 60L) * 1_000_000_000L;
        long renewBefore = Math.min(config.refreshBefore().toNanos(), lifetime / 2);
        long expiresAt = sentAt + lifetime - Math.min(5_000_000_000L, lifetime / 10);
        return new Token("Bearer " + accessToken, sentAt + lifetime - renewBefore, expiresAt);
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
