package dev.kanmon.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;

/** Where the console finds the operator APIs and the queue metrics (docs/configuration.md, console-service). */
@ConfigMapping(prefix = "kanmon.console")
public interface ConsoleConfig {

    /** The auth-service's API base: subscribers, plans, suspensions, bans, app passwords. */
    URI authUrl();

    /** The queue-service's API base: queue, abuse automation, audit record. */
    URI queueUrl();

    /** The dnsbl-service's API base: local allow/deny lists. */
    URI dnsblUrl();

    /** The queue-service's Prometheus metrics (management port), sampled for the dashboard's charts. */
    URI queueMetricsUrl();

    /** How often the metrics are sampled. */
    @WithDefault("15s")
    Duration sampleInterval();

    /** How many samples the charts show (at 15 s, 240 is the last hour). */
    @WithDefault("240")
    int history();

    /** Timeout of one API call. */
    @WithDefault("10s")
    Duration callTimeout();
}
