package dev.kanmon.dnsbl.audit;

import java.time.Instant;

/**
 * One operator action, in the JSON shape of the queue-service's audit record (docs/operations.md, "Audit log").
 *
 * @param id         assigned when stored (0 before)
 * @param at         when
 * @param actor      the operator's user name (the token's preferred_username)
 * @param automatic  always false: only operators change the lists
 * @param action     {@code dnsbl.add} or {@code dnsbl.remove}
 * @param targetKind {@code network}
 * @param target     the list and the network, e.g. {@code deny 198.51.100.0/24}
 * @param reason     the entry's comment
 * @param before     the state before
 * @param after      the state after
 */
public record AuditEntry(long id, Instant at, String actor, boolean automatic, String action, String targetKind,
        String target, String reason, String before, String after) {
}
