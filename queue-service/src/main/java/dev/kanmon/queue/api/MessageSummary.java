package dev.kanmon.queue.api;

import java.time.Instant;
import java.util.List;

/** One line of the queue listing (like a {@code mailq} entry). */
public record MessageSummary(
        String queueId,
        String sender,
        String authUser,
        Instant receivedAt,
        long size,
        boolean dsn,
        List<RecipientView> recipients) {
}
