package dev.kanmon.dnsbl.query;

import java.time.Duration;
import java.util.List;

/**
 * What one zone says about one address.
 *
 * @param codes  the A records (127.0.0.x) as dotted quads; empty when not listed (NXDOMAIN or no A record)
 * @param reason the TXT record, joined, or null when not listed or the zone publishes none
 * @param ttl    how long the answer may be cached
 */
public record ZoneAnswer(List<String> codes, String reason, Duration ttl) {

    public ZoneAnswer {
        codes = List.copyOf(codes);
    }

    public boolean listed() {
        return !codes.isEmpty();
    }
}
