package dev.kanmon.queue.metrics;

import dev.kanmon.core.queue.RecipientStatus;
import dev.kanmon.queue.store.RecipientState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/** Prometheus meters of the queue ({@code kanmon_queue_*}). */
@ApplicationScoped
public class QueueMetrics {

    private static final Logger LOG = Logger.getLogger(QueueMetrics.class);

    @Inject
    MeterRegistry registry;

    private final Map<RecipientState, AtomicLong> depth = new EnumMap<>(RecipientState.class);

    @PostConstruct
    void registerGauges() {
        for (RecipientState state : RecipientState.values()) {
            AtomicLong value = new AtomicLong();
            depth.put(state, value);
            Gauge.builder("kanmon.queue.recipients", value, AtomicLong::get)
                    .description("Recipients in the queue by state (refreshed from PostgreSQL)")
                    .tag("state", state.dbValue())
                    .register(registry);
        }
    }

    public void intaken(boolean dsn) {
        registry.counter("kanmon.queue.messages.intaken", "dsn", Boolean.toString(dsn)).increment();
    }

    public void rejectedRecord(String topic) {
        registry.counter("kanmon.queue.records.rejected", "topic", topic).increment();
    }

    public void resultApplied(RecipientStatus status) {
        registry.counter("kanmon.queue.results.applied", "status", status.name().toLowerCase(Locale.ROOT)).increment();
    }

    public void retriesPublished(int recipients) {
        registry.counter("kanmon.queue.retries.published").increment(recipients);
    }

    public void expired() {
        registry.counter("kanmon.queue.recipients.expired").increment();
    }

    public void dsnSent(String kind) {
        registry.counter("kanmon.queue.dsn.sent", "kind", kind).increment();
    }

    public void dsnSuppressed(String reason) {
        registry.counter("kanmon.queue.dsn.suppressed", "reason", reason).increment();
    }

    @Scheduled(every = "${kanmon.queue.metrics.refresh-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshDepth() {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s
                        .createNativeQuery("select state, count(*) from queue.recipient group by state", Object[].class)
                        .getResultList()))
                .invoke(this::setDepth)
                .onFailure().invoke(e -> LOG.debugf("queue depth refresh failed: %s", e.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private void setDepth(List<Object[]> rows) {
        depth.values().forEach(v -> v.set(0));
        for (Object[] row : rows) {
            depth.get(RecipientState.ofDb((String) row[0])).set(((Number) row[1]).longValue());
        }
    }
}
