package dev.kanmon.queue.api;

import java.time.Instant;
import java.util.List;

/** A recipient's state; {@code attempts} history is only filled in the message detail. */
public record RecipientView(
        long id,
        String address,
        String state,
        int attempts,
        Instant nextAttemptAt,
        Instant lastAttemptAt,
        Integer replyCode,
        String enhancedCode,
        String diagnostic,
        String remoteMta,
        List<AttemptView> history) {
}
