package dev.kanmon.delivery.transport;

import dev.kanmon.delivery.config.DeliveryConfig;
import dev.kanmon.delivery.config.DeliveryConfig.TlsPolicy;
import dev.kanmon.delivery.smtp.HopSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Postfix-style transport map: a destination domain, else {@code *}, may name a next hop (smarthost) that
 * replaces MX resolution. Also answers the STARTTLS policy of direct MX deliveries.
 */
@ApplicationScoped
public class TransportMap {

    /** A configured next hop. */
    public record NextHop(String host, int port, HopSettings settings) {
    }

    private final Map<String, NextHop> hops;
    private final TlsPolicy defaultPolicy;
    private final Map<String, TlsPolicy> policies;

    public TransportMap(DeliveryConfig config) {
        this.hops = config.transport().entrySet().stream().collect(Collectors.toUnmodifiableMap(
                e -> e.getKey().toLowerCase(Locale.ROOT), e -> nextHop(e.getValue())));
        this.defaultPolicy = config.tls().policy();
        this.policies = config.tls().domains().entrySet().stream().collect(Collectors.toUnmodifiableMap(
                e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue));
    }

    private static NextHop nextHop(DeliveryConfig.Transport t) {
        Optional<HopSettings.Credentials> auth = t.username()
                .map(u -> new HopSettings.Credentials(u, t.password().orElse(""), t.mechanism()));
        HopSettings settings = switch (t.security()) {
            case NONE -> new HopSettings(TlsPolicy.OPPORTUNISTIC, false, false, auth);
            case STARTTLS -> new HopSettings(TlsPolicy.REQUIRED, false, t.verify(), auth);
            case IMPLICIT_TLS -> new HopSettings(TlsPolicy.REQUIRED, true, t.verify(), auth);
        };
        return new NextHop(t.host(), t.port(), settings);
    }

    /** The next hop for a domain: its own entry, else the {@code *} entry, else none (deliver by MX). */
    public Optional<NextHop> nextHop(String domain) {
        NextHop hop = hops.get(domain);
        return Optional.ofNullable(hop != null ? hop : hops.get("*"));
    }

    /** How a direct MX delivery to {@code domain} talks to its MX hosts. */
    public HopSettings mxSettings(String domain) {
        return HopSettings.mx(policies.getOrDefault(domain, defaultPolicy));
    }
}
