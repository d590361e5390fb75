package dev.kanmon.auth.ban;

import java.time.OffsetDateTime;

/**
 * An active ban, as operators see it.
 *
 * @param kind      {@code pair} or {@code address}
 * @param address   the client address (an IPv6 address as its network, e.g. {@code 2001:db8:1:2::/64})
 * @param login     the lower-cased login of a pair ban; null for an address ban
 * @param failures  failures counted in the window that set it (of the pair, or from the address in all)
 * @param logins    distinct logins that failed from the address in that window (1 for a pair)
 * @param until     when it ends
 * @param createdAt when it was first set
 */
public record Ban(BanKind kind, String address, String login, int failures, int logins, OffsetDateTime until,
        OffsetDateTime createdAt) {
}
