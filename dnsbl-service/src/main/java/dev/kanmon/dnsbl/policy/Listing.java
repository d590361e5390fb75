package dev.kanmon.dnsbl.policy;

/**
 * One list that names the client.
 *
 * @param zone   the DNSBL/DNSWL zone, or {@code local-allow}/{@code local-deny} for the operator's own lists
 * @param code   the A record (127.0.0.x), or the matching CIDR for a local list
 * @param reason the zone's TXT record or the local entry's comment; null when there is none
 */
public record Listing(String zone, String code, String reason) {
}
