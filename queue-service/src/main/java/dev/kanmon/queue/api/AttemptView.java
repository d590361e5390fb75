package dev.kanmon.queue.api;

import java.time.Instant;

/** One delivery attempt result. */
public record AttemptView(
        String deliveryId,
        int attempt,
        String status,
        Integer replyCode,
        String enhancedCode,
        String diagnostic,
        String remoteMta,
        Instant finishedAt) {
}
