package dev.kanmon.dnsbl.locallist;

import java.time.OffsetDateTime;

/**
 * One network on a local list.
 *
 * @param id        database id, used to delete it
 * @param list      {@code allow} or {@code deny}
 * @param cidr      the network, e.g. {@code 198.51.100.0/24}
 * @param comment   why it is there (shown in the deny listing, never in the SMTP reply)
 * @param createdBy the operator's Keycloak user name
 * @param createdAt when it was added
 */
public record LocalListEntry(long id, String list, String cidr, String comment, String createdBy,
        OffsetDateTime createdAt) {
}
