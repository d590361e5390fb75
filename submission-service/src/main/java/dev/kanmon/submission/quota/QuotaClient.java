package dev.kanmon.submission.quota;

import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.identity.ServiceCredential;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The auth-service's quota ledger ({@code /internal/v1/quota}, docs/throttling.md) over keep-alive HTTP. The
 * ledger is cluster-wide, so limits hold across every submission replica. A session is admitted at AUTH with
 * a first escrow block ({@link #openSession}); its {@link QuotaEscrow} spends it and asks for more only when it
 * is spent or expired. An unreachable ledger becomes the configured fallback verdict. Every call carries the
 * service's bearer token ({@link ServiceCredential}, docs/service-identity.md).
 */
@ApplicationScoped
public class QuotaClient implements QuotaEscrow.Ledger {

    private static final Logger LOG = Logger.getLogger(QuotaClient.class);
    private static final SmtpReply AUTH_UNAVAILABLE =
            SmtpReply.of(454, "4.7.0", "Temporary authentication failure; try again later");
    private static final SmtpReply UNAVAILABLE = SmtpReply.of(451, "4.3.0", "Quota service unavailable; try again later");

    private final Vertx vertx;
    private final WebClient client;
    private final QuotaConfig config;
    private final MeterRegistry registry;
    private final String base;
    private final ServiceCredential credential;
    private final SessionEnds ends;

    QuotaClient(Vertx vertx, QuotaConfig config, MeterRegistry registry, ServiceCredential credential) {
        this.vertx = vertx;
        this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true));
        this.config = config;
        this.registry = registry;
        this.base = trimSlash(config.url()) + "/internal/v1/quota";
        this.credential = credential;
        this.ends = new SessionEnds(vertx, config.closeLinger().toMillis(), config.closeBatchSize(), this::closeAll);
    }

    public boolean enabled() {
        return config.enabled();
    }

    /**
     * Whether the auth-service at {@code authUrl} is this ledger, so that a credential check can open the session
     * in the same call ({@code "session": {"escrow": true}} in the check, docs/throttling.md): one HTTP exchange
     * per AUTH instead of two.
     */
    public boolean admitsWith(String authUrl) {
        return config.enabled() && trimSlash(config.url()).equals(trimSlash(authUrl));
    }

    /** After AUTH succeeded: suspension, the concurrent-session limit, and the session's first block. */
    public Future<QuotaVerdict> openSession(String username) {
        return post("/sessions", new JsonObject().put("username", username).put("escrow", true))
                .otherwise(e -> fallback(e, AUTH_UNAVAILABLE));
    }

    /** The escrow of a session the ledger admitted with {@code opened}. */
    public QuotaEscrow escrow(String username, QuotaVerdict opened) {
        return new QuotaEscrow(this, System::nanoTime, config.maxEscrowWait().toNanos(), username, opened);
    }

    @Override
    public Future<QuotaVerdict> reserve(QuotaEscrow.Reservation r) {
        return post("/reserve", new JsonObject().put("username", r.username()).put("leaseId", r.leaseId())
                .put("seq", r.seq()).put("messagesLeft", r.messagesLeft()).put("recipientsLeft", r.recipientsLeft())
                .put("messages", r.messages()).put("recipients", r.recipients()).put("returnOnly", r.returnOnly()));
    }

    /**
     * At the end of an authenticated session: the lease and the rest of the block go back with the ends of other
     * sessions ({@link SessionEnds}). Best effort: a lost release expires with its lease.
     */
    @Override
    public void close(String leaseId, long seq, int messagesLeft, int recipientsLeft) {
        if (leaseId != null) {
            ends.add(leaseId, seq, messagesLeft, recipientsLeft);
        }
    }

    private Future<?> closeAll(JsonArray sessions) {
        return credential.send(authorization -> client.postAbs(base + "/sessions/close")
                        .putHeader("Authorization", authorization)
                        .timeout(config.timeout().toMillis())
                        .sendJsonObject(new JsonObject().put("sessions", sessions)))
                .onComplete(ar -> {
                    if (ar.failed() || ar.result().statusCode() != 204) {
                        LOG.debugf("%d quota leases not released: %s", sessions.size(),
                                ar.failed() ? ar.cause().toString() : "HTTP " + ar.result().statusCode());
                    }
                });
    }

    @Override
    public QuotaVerdict unavailable(Throwable cause) {
        return fallback(cause, UNAVAILABLE);
    }

    @Override
    public long schedule(long delayMillis, Runnable action) {
        return vertx.setTimer(delayMillis, id -> action.run());
    }

    @Override
    public void cancel(long timerId) {
        vertx.cancelTimer(timerId);
    }

    private Future<QuotaVerdict> post(String path, JsonObject body) {
        long sentAt = System.nanoTime();
        return credential.send(authorization -> client.postAbs(base + path)
                        .putHeader("Authorization", authorization)
                        .timeout(config.timeout().toMillis())
                        .sendJsonObject(body))
                .map(response -> verdict(response, sentAt))
                .onSuccess(v -> {
                    if (!v.allowed() && v.retryMillis() == 0) {
                        registry.counter("kanmon.submission.quota.refused", "code", String.valueOf(v.reply().code()))
                                .increment();
                    }
                });
    }

    private QuotaVerdict fallback(Throwable err, SmtpReply unavailable) {
        registry.counter("kanmon.submission.quota.unavailable").increment();
        LOG.warnf("quota ledger unavailable (%s): %s", config.onUnavailable(), err.toString());
        return config.onUnavailable() == QuotaConfig.OnUnavailable.ALLOW
                ? QuotaVerdict.UNCHECKED
                : new QuotaVerdict(false, unavailable, 0, null, QuotaVerdict.Block.NONE, 0);
    }

    private static QuotaVerdict verdict(HttpResponse<?> response, long sentAt) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("quota ledger answered HTTP " + response.statusCode());
        }
        return QuotaVerdict.fromJson(response.bodyAsJsonObject(), sentAt);
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @PreDestroy
    void shutdown() {
        try {
            // the sessions drained before this: their leases go back now rather than expire
            ends.flush().toCompletionStage().toCompletableFuture().get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debugf("quota leases not released at shutdown: %s", e.toString());
        }
        client.close();
    }
}
