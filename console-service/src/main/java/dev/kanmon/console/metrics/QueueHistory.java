package dev.kanmon.console.metrics;

import dev.kanmon.console.ConsoleConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The dashboard's memory: the queue-service's metrics read every {@code sample-interval}, the last {@code history}
 * readings kept. Rates are the differences of counters between readings (a counter that went down, after a restart of
 * the queue-service, starts again from zero). With several queue-service replicas this is one replica's view:
 * Prometheus and the Grafana dashboard (k8s/) are the fleet's.
 */
@ApplicationScoped
public class QueueHistory {

    private static final Logger LOG = Logger.getLogger(QueueHistory.class);
    private static final Set<String> PENDING = Set.of("queued", "delivering", "deferred", "held");

    private final ConsoleConfig config;
    private final HttpClient http;
    private final Deque<Sample> samples = new ArrayDeque<>();

    QueueHistory(ConsoleConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.callTimeout()).build();
    }

    @Scheduled(every = "${kanmon.console.sample-interval:15s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sample() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(config.queueMetricsUrl())
                    .timeout(config.callTimeout()).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                add(parse(Instant.now(), r.body()));
            }
        } catch (java.io.IOException e) {
            LOG.debugf("queue metrics unavailable: %s", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Sample parse(Instant at, String text) {
        return new Sample(at,
                PrometheusText.sum(text, "kanmon_queue_messages_intaken_total", null, null),
                PrometheusText.sum(text, "kanmon_queue_results_applied_total", "status", Set.of("delivered")),
                PrometheusText.sum(text, "kanmon_queue_results_applied_total", "status", Set.of("deferred")),
                PrometheusText.sum(text, "kanmon_queue_results_applied_total", "status", Set.of("failed")),
                PrometheusText.sum(text, "kanmon_queue_recipients", "state", PENDING),
                PrometheusText.sum(text, "kanmon_queue_recipients", "state", Set.of("held")));
    }

    synchronized void add(Sample s) {
        samples.addLast(s);
        while (samples.size() > config.history()) {
            samples.removeFirst();
        }
    }

    public synchronized List<Sample> samples() {
        return new ArrayList<>(samples);
    }
}
