package dev.kanmon.submission.quota;

import dev.kanmon.core.smtp.SmtpReply;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The auth-service's quota ledger ({@code /internal/v1/quota}, docs/throttling.md) over keep-alive HTTP. The
 * ledger is cluster-wide, so limits hold across every submission replica. Futures never fail: an unreachable
 * ledger becomes the configured fallback verdict.
 */
@ApplicationScoped
public class QuotaClient {

    private static final Logger LOG = Logger.getLogger(QuotaClient.class);

    private final WebClient client;
    private final QuotaConfig config;
    private final MeterRegistry registry;
    private final String base;

    QuotaClient(Vertx vertx, QuotaConfig config, MeterRegistry registry) {
        this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true));
        this.config = config;
        this.registry = registry;
        String url = config.url();
        this.base = (url.endsWith("/") ? url.substring(0, url.length() - 1) : url) + "/internal/v1/quota";
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** After AUTH succeeded: suspension and the concurrent-session limit. */
    public Future<QuotaVerdict> openSession(String username) {
        return call("/sessions", new JsonObject().put("username", username),
                SmtpReply.of(454, "4.7.0", "Temporary authentication failure; try again later"));
    }

    /** At the end of an authenticated session. Best effort: a lost release expires with its lease. */
    public void closeSession(String leaseId) {
        if (leaseId == null) {
            return;
        }
        client.deleteAbs(base + "/sessions/" + leaseId).timeout(config.timeout().toMillis()).send()
                .onFailure(e -> LOG.debugf("quota lease %s not released: %s", leaseId, e.toString()));
    }

    /** At MAIL FROM: one message against the per-minute/hour/day limits. */
    public Future<QuotaVerdict> chargeMessage(String username) {
        return call("/consume", new JsonObject().put("username", username).put("messages", 1).put("recipients", 0),
                SmtpReply.of(451, "4.3.0", "Quota service unavailable; try again later"));
    }

    /** At RCPT TO: one recipient against the daily recipient limit. */
    public Future<QuotaVerdict> chargeRecipient(String username) {
        return call("/consume", new JsonObject().put("username", username).put("messages", 0).put("recipients", 1),
                SmtpReply.of(451, "4.3.0", "Quota service unavailable; try again later"));
    }

    private Future<QuotaVerdict> call(String path, JsonObject body, SmtpReply unavailable) {
        return client.postAbs(base + path)
                .timeout(config.timeout().toMillis())
                .sendJsonObject(body)
                .map(QuotaClient::verdict)
                .otherwise(err -> {
                    registry.counter("kanmon.submission.quota.unavailable").increment();
                    LOG.warnf("quota ledger %s unavailable (%s): %s", path, config.onUnavailable(), err.toString());
                    return config.onUnavailable() == QuotaConfig.OnUnavailable.ALLOW
                            ? QuotaVerdict.UNCHECKED
                            : new QuotaVerdict(false, unavailable, 0, null);
                })
                .onSuccess(v -> {
                    if (!v.allowed()) {
                        registry.counter("kanmon.submission.quota.refused", "code", String.valueOf(v.reply().code()))
                                .increment();
                    }
                });
    }

    private static QuotaVerdict verdict(HttpResponse<?> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("quota ledger answered HTTP " + response.statusCode());
        }
        JsonObject json = response.bodyAsJsonObject();
        JsonObject reply = json.getJsonObject("reply");
        SmtpReply smtp = reply == null ? null
                : SmtpReply.of(reply.getInteger("code"), reply.getString("enhanced"), reply.getString("text"));
        return new QuotaVerdict(json.getBoolean("allowed", false), smtp,
                json.getInteger("recipientsPerMessage", 0), json.getString("leaseId"));
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
