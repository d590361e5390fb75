package dev.kanmon.submission.dnsbl;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How submission-service reaches the dnsbl-service's {@code GET /internal/v1/check}. */
@ConfigMapping(prefix = "kanmon.submission.dnsbl")
public interface DnsblClientConfig {

    /** Base URL of the dnsbl-service (scheme, host, port; no path). */
    @WithDefault("http://dnsbl-service:8080")
    String url();

    /**
     * Whole-call deadline. Longer than the dnsbl-service's own per-zone DNS timeout so that its fail-open answer
     * arrives first; past it the session goes on unchecked ({@link ScreenVerdict#PASS_UNCHECKED}).
     */
    @WithDefault("3s")
    Duration timeout();

    /** TCP connect timeout to the dnsbl-service. */
    @WithDefault("1s")
    Duration connectTimeout();

    /** Keep-alive connections kept per submission-service instance. */
    @WithDefault("16")
    int maxPoolSize();

    /**
     * How long a verdict for a client address is reused without asking the dnsbl-service again, like Postfix's
     * {@code postscreen_dnsbl_ttl}: a subscriber who reconnects (or opens parallel sessions) costs one check, not
     * one per connection and AUTH. A change of the dnsbl-service's local lists reaches this instance within it.
     * {@code 0s} asks every time. Fail-open answers ({@link ScreenVerdict#PASS_UNCHECKED}) are never kept.
     */
    @WithDefault("60s")
    Duration verdictCacheTtl();

    /** Most client addresses whose verdicts are kept (least recently used go first). */
    @WithDefault("100000")
    long verdictCacheSize();
}
