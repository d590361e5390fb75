package dev.kanmon.delivery.metrics;

import dev.kanmon.core.queue.RecipientStatus;
import dev.kanmon.delivery.config.DeliveryConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Delivery metrics: recipient outcomes by status and domain, SMTP phase latency, open and opened connections. */
@ApplicationScoped
public class DeliveryMetrics {

    private final MeterRegistry registry;
    private final Set<String> taggedDomains = new HashSet<>();
    private final Counter connectionsOpened;

    @Inject
    public DeliveryMetrics(MeterRegistry registry, DeliveryConfig config) {
        this(registry, Stream.concat(config.metrics().domains().orElse(List.of()).stream(),
                config.limits().domains().keySet().stream()).collect(Collectors.toSet()));
    }

    /** Metrics with {@code taggedDomains} (any case) as the domains that get their own tag. */
    public DeliveryMetrics(MeterRegistry registry, Set<String> taggedDomains) {
        this.registry = registry;
        this.connectionsOpened = Counter.builder("kanmon.delivery.connections.opened")
                .description("Outbound SMTP connections opened (TCP connect succeeded); compare with messages for reuse")
                .register(registry);
        taggedDomains.forEach(d -> this.taggedDomains.add(d.toLowerCase(Locale.ROOT)));
    }

    /** One recipient's outcome of one attempt. */
    public void recipient(String domain, RecipientStatus status) {
        Counter.builder("kanmon.delivery.recipients")
                .description("Recipient outcomes of delivery attempts")
                .tag("status", status.name().toLowerCase(Locale.ROOT))
                .tag("domain", tag(domain))
                .register(registry).increment();
    }

    /** A record that could not be decoded and was skipped. */
    public void malformedRequest() {
        registry.counter("kanmon.delivery.requests.malformed").increment();
    }

    /** Latency of one SMTP phase (connect, greeting, ehlo, starttls, auth, mail, rcpt, data, body). */
    public void phase(String phase, Duration elapsed) {
        Timer.builder("kanmon.delivery.smtp.latency")
                .description("Latency of SMTP client phases")
                .tag("phase", phase)
                .publishPercentileHistogram()
                .register(registry).record(elapsed);
    }

    /** An outbound TCP connection was established. */
    public void connectionOpened() {
        connectionsOpened.increment();
    }

    /** Registers the gauge of open outbound SMTP connections. */
    public void connections(Supplier<Number> open) {
        Gauge.builder("kanmon.delivery.connections.active", open, s -> s.get().doubleValue())
                .description("Open outbound SMTP connections, active and idle")
                .strongReference(true)
                .register(registry);
    }

    /** A record handed back to the queue because its destination's backlog was full (fair delivery). */
    public void backlogDeferred(String domain) {
        Counter.builder("kanmon.delivery.backlog.deferred")
                .description("Records deferred back to the queue because their destination's backlog or the instance's "
                        + "waiting bytes were full; each was the newest of the sender with the most waiting")
                .tag("domain", tag(domain))
                .register(registry).increment();
    }

    /** Registers the gauges of records waiting for a slot (count and message bytes) and of deliveries under way. */
    public void scheduler(Supplier<Number> waiting, Supplier<Number> waitingBytes, Supplier<Number> active) {
        Gauge.builder("kanmon.delivery.waiting", waiting, s -> s.get().doubleValue())
                .description("Received records waiting for a concurrency, connection or rate slot (they hold no slot)")
                .strongReference(true)
                .register(registry);
        Gauge.builder("kanmon.delivery.waiting.bytes", waitingBytes, s -> s.get().doubleValue())
                .description("Message bytes held by the records waiting for a slot")
                .baseUnit("bytes")
                .strongReference(true)
                .register(registry);
        Gauge.builder("kanmon.delivery.active", active, s -> s.get().doubleValue())
                .description("Deliveries under way, each holding one of the instance's concurrency slots")
                .strongReference(true)
                .register(registry);
    }

    private String tag(String domain) {
        return taggedDomains.contains(domain) ? domain : "other";
    }
}
