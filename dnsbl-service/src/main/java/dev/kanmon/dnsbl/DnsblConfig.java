package dev.kanmon.dnsbl;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** DNSBL/DNSWL policy of the dnsbl-service. Production defaults here; local values in application.properties. */
@ConfigMapping(prefix = "kanmon.dnsbl")
public interface DnsblConfig {

    /**
     * DNSBL and DNSWL sites in Postfix {@code postscreen_dnsbl_sites} syntax: {@code zone[=filter][*weight]}.
     * The filter is a pattern of the A record ({@code 127.0.0.[2..11]}, {@code 127.0.[0..255].[1;3]}) or a range
     * ({@code 127.0.0.2-127.0.0.11}); without one any 127.0.0.0/8 answer counts. The weight defaults to 1; allow-lists
     * take a negative weight. A zone may appear twice with different filters (one DNS query serves both).
     * The default keeps Spamhaus' policy codes (PBL, dynamic address space where subscribers live) apart from its
     * abuse codes so that they only flag.
     */
    @WithDefault("zen.spamhaus.org=127.0.0.[2..9]*3,zen.spamhaus.org=127.0.0.[10;11]*1,list.dnswl.org=127.0.[0..255].[1..3]*-2")
    List<String> sites();

    /** Score at or above which the verdict is BLOCK. */
    @WithDefault("3")
    double threshold();

    /** Score at or above which (and below {@link #threshold()}) the verdict is FLAG. */
    @WithDefault("1")
    double flagThreshold();

    /**
     * How long the local allow/deny lookup in PostgreSQL may take; past it the local lists are skipped for that check
     * (fail open) and the zones decide alone.
     */
    @WithDefault("1s")
    Duration localListsTimeout();

    /** DNS resolution. */
    Dns dns();

    /** Cache of DNS answers. */
    Cache cache();

    interface Dns {

        /**
         * Resolver for DNSBL queries, {@code host:port} ({@code [v6]:port} for IPv6), or {@code system} for the first
         * nameserver of /etc/resolv.conf. DNSBL operators refuse public resolvers, so production points at the ISP's own.
         */
        @WithDefault("system")
        String server();

        /** Per-query timeout; a zone that has not answered by then counts as not listed (fail open). */
        @WithDefault("1500ms")
        Duration timeout();

        /**
         * Per-zone resolver overrides, {@code kanmon.dnsbl.dns.zone-servers."zone"=host:port}, for lists served by their
         * own server (a local rsync mirror of a DNSBL). Empty by default.
         */
        Map<String, String> zoneServers();
    }

    interface Cache {

        /** Most answers kept (one per zone and client address). */
        @WithDefault("100000")
        long maxEntries();

        /** Upper bound for a positive answer's TTL in the cache (the record TTL is used when shorter). */
        @WithDefault("1h")
        Duration maxTtl();

        /**
         * Upper bound for caching NXDOMAIN/NODATA (RFC 2308: the SOA's TTL and minimum, when shorter); also used when the
         * answer carries no SOA.
         */
        @WithDefault("5m")
        Duration negativeTtl();
    }
}
