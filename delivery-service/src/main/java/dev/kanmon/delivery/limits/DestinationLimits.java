package dev.kanmon.delivery.limits;

import dev.kanmon.delivery.config.DeliveryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The effective limits of a destination domain: its override where configured, else the defaults. */
@ApplicationScoped
public class DestinationLimits {

    /** Effective limits of one domain. */
    public record Limits(int connections, int rateMessages, Duration ratePeriod) {
    }

    private final Limits defaults;
    private final Map<String, Limits> overrides;

    public DestinationLimits(DeliveryConfig config) {
        DeliveryConfig.DomainLimits d = config.limits().defaults();
        this.defaults = new Limits(d.connections(), d.rateMessages(), d.ratePeriod());
        this.overrides = config.limits().domains().entrySet().stream().collect(Collectors.toUnmodifiableMap(
                e -> e.getKey().toLowerCase(Locale.ROOT),
                e -> new Limits(e.getValue().connections().orElse(defaults.connections()),
                        e.getValue().rateMessages().orElse(defaults.rateMessages()),
                        e.getValue().ratePeriod().orElse(defaults.ratePeriod()))));
    }

    public Limits of(String domain) {
        return overrides.getOrDefault(domain, defaults);
    }
}
