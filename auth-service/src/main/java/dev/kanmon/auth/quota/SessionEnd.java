package dev.kanmon.auth.quota;

import java.util.UUID;

/**
 * One ended session in {@code POST /internal/v1/quota/sessions/close}: its lease and the unspent rest of its current
 * escrow block, which goes back to the windows it was taken from.
 */
public record SessionEnd(UUID leaseId, long seq, int messagesLeft, int recipientsLeft) {
}
