package dev.kanmon.auth.audit;

import java.time.Instant;

/**
 * One operator action, in the JSON shape of the queue-service's audit record (docs/operations.md, "Audit log").
 *
 * @param id         assigned when stored (0 before)
 * @param at         when
 * @param actor      the operator's user name (the token's preferred_username)
 * @param automatic  always false here: the automation's steps are recorded by the queue-service
 * @param action     what was done, e.g. {@code subscriber.suspend}
 * @param targetKind {@code subscriber}, {@code plan} or {@code ban}
 * @param target     the user name, plan name or banned address (and login)
 * @param reason     why, as the operator gave it
 * @param before     the state before
 * @param after      the state after
 */
public record AuditEntry(long id, Instant at, String actor, boolean automatic, String action, String targetKind,
        String target, String reason, String before, String after) {
}
