package dev.kanmon.queue.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** A message with its envelope as received and each recipient's attempt history. */
public record MessageDetail(
        String queueId,
        String sender,
        String authUser,
        String clientIp,
        String envid,
        String ret,
        Instant receivedAt,
        Instant queuedAt,
        long size,
        boolean dsn,
        JsonNode envelope,
        List<RecipientView> recipients) {
}
