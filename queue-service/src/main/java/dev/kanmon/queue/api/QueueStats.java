package dev.kanmon.queue.api;

import java.time.Instant;
import java.util.Map;

/**
 * Queue statistics.
 *
 * @param messages         messages with at least one recipient not yet final
 * @param recipientsByState recipient counts per state (all states, including final ones still stored)
 * @param oldestPending    arrival time of the oldest message not yet final, or null
 */
public record QueueStats(long messages, Map<String, Long> recipientsByState, Instant oldestPending) {
}
