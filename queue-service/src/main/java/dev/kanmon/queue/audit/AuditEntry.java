package dev.kanmon.queue.audit;

import java.time.Instant;
import java.util.Map;

/**
 * One audited action (docs/abuse.md, "Audit record").
 *
 * @param id         assigned when stored (0 before)
 * @param at         when it was decided
 * @param actor      {@value #AUTOMATION} or the operator's user name
 * @param automatic  whether the abuse automation decided it
 * @param action     what was done ({@code SLOW_DOWN}, {@code HOLD}, {@code queue.release}, ...)
 * @param targetKind {@code subscriber} or {@code message}
 * @param target     the user name or queue id
 * @param reason     why, in words
 * @param score      the subscriber's score then, or null
 * @param signals    the signals and their values behind it (empty for most operator actions)
 * @param before     the state before, in words or JSON
 * @param after      the state after
 */
public record AuditEntry(long id, Instant at, String actor, boolean automatic, String action, String targetKind,
        String target, String reason, Integer score, Map<String, Double> signals, String before, String after) {

    /** The actor of automatic decisions. */
    public static final String AUTOMATION = "abuse-automation";

    public AuditEntry {
        signals = signals == null ? Map.of() : Map.copyOf(signals);
    }

    public AuditEntry withId(long newId) {
        return new AuditEntry(newId, at, actor, automatic, action, targetKind, target, reason, score, signals, before,
                after);
    }
}
