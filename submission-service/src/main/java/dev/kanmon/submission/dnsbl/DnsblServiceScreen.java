package dev.kanmon.submission.dnsbl;

import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.identity.ServiceCredential;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
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
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * {@link ClientScreen} backed by the dnsbl-service ({@code GET /internal/v1/check?ip=…}) over keep-alive HTTP.
 * Any error, non-200 answer, unreadable body or timeout yields {@link ScreenVerdict#PASS_UNCHECKED} and is counted
 * in {@code kanmon.submission.dnsbl.unchecked}: an outage of the DNSBL path must never stop mail. Verdicts are kept
 * per address for {@code verdict-cache-ttl}; concurrent checks of one address share one call. Every call carries the
 * service's bearer token ({@link ServiceCredential}, docs/service-identity.md).
 */
@ApplicationScoped
public class DnsblServiceScreen implements ClientScreen {

    private static final Logger LOG = Logger.getLogger(DnsblServiceScreen.class);
    static final String CHECK_PATH = "/internal/v1/check";

    private final WebClient client;
    private final String checkUrl;
    private final long timeoutMillis;
    private final MeterRegistry registry;
    private final Vertx vertx;
    /** Null when the TTL is zero. */
    private final AsyncCache<String, ScreenVerdict> verdicts;
    private final ServiceCredential credential;

    @Inject
    public DnsblServiceScreen(Vertx vertx, DnsblClientConfig config, MeterRegistry registry,
            ServiceCredential credential) {
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setKeepAlive(true)
                .setMaxPoolSize(config.maxPoolSize())
                .setConnectTimeout((int) config.connectTimeout().toMillis()));
        this.checkUrl = stripTrailingSlash(config.url()) + CHECK_PATH;
        this.timeoutMillis = config.timeout().toMillis();
        this.registry = registry;
        this.vertx = vertx;
        this.credential = credential;
        this.verdicts = config.verdictCacheTtl().isZero() ? null : Caffeine.newBuilder()
                .expireAfterWrite(config.verdictCacheTtl())
                .maximumSize(config.verdictCacheSize())
                .buildAsync();
    }

    @Override
    public Future<ScreenVerdict> screen(String clientIp) {
        if (verdicts == null) {
            return check(clientIp);
        }
        CompletableFuture<ScreenVerdict> shared = verdicts.get(clientIp,
                (ip, executor) -> check(ip).toCompletionStage().toCompletableFuture());
        registry.counter("kanmon.submission.dnsbl.cache", "result", shared.isDone() ? "hit" : "miss").increment();
        // A verdict first asked for by another session completes on that session's event loop: hand it back on ours.
        return Future.fromCompletionStage(shared.thenApply(v -> {
            if (v == ScreenVerdict.PASS_UNCHECKED) {
                verdicts.asMap().remove(clientIp, shared);
            }
            return v;
        }), vertx.getOrCreateContext());
    }

    private Future<ScreenVerdict> check(String clientIp) {
        return credential.send(authorization -> client.getAbs(checkUrl)
                        .putHeader("Authorization", authorization)
                        .addQueryParam("ip", clientIp)
                        .timeout(timeoutMillis)
                        .send())
                .map(DnsblServiceScreen::toVerdict)
                .onSuccess(v -> registry.counter("kanmon.submission.dnsbl.verdicts",
                        "verdict", v.verdict().name().toLowerCase(Locale.ROOT)).increment())
                .otherwise(err -> failOpen(clientIp, err));
    }

    private ScreenVerdict failOpen(String clientIp, Throwable err) {
        String reason = err instanceof TimeoutException ? "timeout" : "error";
        unchecked(reason).increment();
        LOG.warnf("DNSBL check of %s not done (%s: %s); accepting unchecked", clientIp, reason, err.getMessage());
        return ScreenVerdict.PASS_UNCHECKED;
    }

    private Counter unchecked(String reason) {
        return registry.counter("kanmon.submission.dnsbl.unchecked", "reason", reason);
    }

    /** Maps the contract's JSON ({@code verdict, score, listings[], reply}) to a {@link ScreenVerdict}. */
    static ScreenVerdict toVerdict(HttpResponse<?> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("dnsbl-service answered HTTP " + response.statusCode());
        }
        return parse(response.bodyAsJsonObject());
    }

    static ScreenVerdict parse(JsonObject body) {
        if (body == null) {
            throw new IllegalStateException("empty body");
        }
        ScreenVerdict.Verdict verdict = ScreenVerdict.Verdict.valueOf(body.getString("verdict"));
        List<String> listings = new ArrayList<>();
        JsonArray array = body.getJsonArray("listings", new JsonArray());
        for (int i = 0; i < array.size(); i++) {
            JsonObject l = array.getJsonObject(i);
            String reason = l.getString("reason");
            listings.add(l.getString("zone") + ": " + (reason == null || reason.isEmpty() ? l.getString("code") : reason));
        }
        JsonObject r = body.getJsonObject("reply");
        SmtpReply reply = r == null ? null : SmtpReply.of(r.getInteger("code"), r.getString("enhanced"), r.getString("text"));
        if (verdict == ScreenVerdict.Verdict.BLOCK && reply == null) {
            // A block needs its reject text; rather than invent one, treat the answer as unusable (fail open).
            throw new IllegalStateException("BLOCK without reply");
        }
        return new ScreenVerdict(verdict, body.getDouble("score", 0.0), reply, listings);
    }

    @PreDestroy
    void close() {
        client.close();
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
