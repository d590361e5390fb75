package dev.kanmon.delivery.limits;

import dev.kanmon.delivery.config.DeliveryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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

    @Inject
    public DestinationLimits(DeliveryConfig config) {
        this(defaults(config.limits().defaults()), config.limits().domains());
    }

    public DestinationLimits(Limits defaults, Map<String, DeliveryConfig.DomainLimitsOverride> overrides) {
        this.defaults = defaults;
        this.overrides = overrides.entrySet().stream().collect(Collectors.toUnmodifiableMap(
                e -> e.getKey().toLowerCase(Locale.ROOT),
                e -> new Limits(e.getValue().connections().orElse(defaults.connections()),
                        e.getValue().rateMessages().orElse(defaults.rateMessages()),
                        e.getValue().ratePeriod().orElse(defaults.ratePeriod()))));
    }

    private static Limits defaults(DeliveryConfig.DomainLimits d) {
        return new Limits(d.connections(), d.rateMessages(), d.ratePeriod());
    }

    public Limits of(String domain) {
        return overrides.getOrDefault(domain, defaults);
    }
}
