package dev.kanmon.delivery.metrics;

import dev.kanmon.core.queue.RecipientStatus;
import dev.kanmon.delivery.config.DeliveryConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/** Delivery metrics: recipient outcomes by status and domain, SMTP phase latency, open and opened connections. */
@ApplicationScoped
public class DeliveryMetrics {

    private final MeterRegistry registry;
    private final Set<String> taggedDomains = new HashSet<>();
    private final Counter connectionsOpened;

    public DeliveryMetrics(MeterRegistry registry, DeliveryConfig config) {
        this.registry = registry;
        this.connectionsOpened = Counter.builder("kanmon.delivery.connections.opened")
                .description("Outbound SMTP connections opened (TCP connect succeeded); compare with messages for reuse")
                .register(registry);
        config.metrics().domains().ifPresent(list -> list.forEach(d -> taggedDomains.add(d.toLowerCase(Locale.ROOT))));
        config.limits().domains().keySet().forEach(d -> taggedDomains.add(d.toLowerCase(Locale.ROOT)));
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

    private String tag(String domain) {
        return taggedDomains.contains(domain) ? domain : "other";
    }
}
