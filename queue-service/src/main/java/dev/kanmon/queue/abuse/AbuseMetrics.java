package dev.kanmon.queue.abuse;

import dev.kanmon.core.abuse.AbuseAction;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** {@code kanmon_abuse_*}: signals seen, actions taken, subscribers per level (docs/operations.md). */
@ApplicationScoped
public class AbuseMetrics {

    private final MeterRegistry registry;
    private final Map<Level, AtomicLong> levels = new EnumMap<>(Level.class);

    AbuseMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Level level : Level.values()) {
            AtomicLong value = new AtomicLong();
            levels.put(level, value);
            Gauge.builder("kanmon.abuse.subscribers", value, AtomicLong::get)
                    .description("Subscribers by the level of the measures in force (refreshed by the sweep)")
                    .tag("level", level.name().toLowerCase(Locale.ROOT)).register(registry);
        }
    }

    /** An evaluation found the signal adding points. */
    void signal(Signal s) {
        registry.counter("kanmon.abuse.signals", "signal", s.name()).increment();
    }

    /** An observation was recorded: {@code submission}, {@code login}, {@code outcome}. */
    void observed(String kind, int n) {
        registry.counter("kanmon.abuse.observations", "kind", kind).increment(n);
    }

    public void action(AbuseAction action, boolean automatic) {
        registry.counter("kanmon.abuse.actions", "action", action.name().toLowerCase(Locale.ROOT),
                "actor", automatic ? "automatic" : "operator").increment();
    }

    void failed(String what) {
        registry.counter("kanmon.abuse.failures", "step", what).increment();
    }

    void levels(Map<Level, Long> counts) {
        levels.forEach((level, value) -> value.set(counts.getOrDefault(level, 0L)));
    }
}
