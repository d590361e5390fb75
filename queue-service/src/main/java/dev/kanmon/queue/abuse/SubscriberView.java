package dev.kanmon.queue.abuse;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A subscriber as the operator view shows it: the last score with its signals and the measures in force.
 *
 * @param heldMessages queue ids of the subscriber's messages with held recipients (in the detail view; empty in lists)
 */
public record SubscriberView(String username, String email, int score, String level, Map<String, Double> signals,
        boolean slowedDown, Instant slowedDownUntil, boolean held, long heldMessageCount, Instant notifiedAt,
        boolean suspended, int pardonedScore, Instant pardonedUntil, Instant evaluatedAt, List<String> heldMessages) {
}
