package dev.kanmon.auth.quota;

import java.util.UUID;

/**
 * A submission session's request for a new block ({@code POST /internal/v1/quota/reserve}): it hands back the
 * rest of its current block and needs {@code messages}/{@code recipients} units now (at MAIL one message, at RCPT
 * one recipient).
 *
 * @param username       the authenticated user
 * @param leaseId        the session lease holding the block; null reserves exactly what is needed, nothing more
 * @param seq            the current block's {@link EscrowGrant#seq()}
 * @param messagesLeft   messages of the current block not spent
 * @param recipientsLeft recipients of the current block not spent
 * @param messages       messages needed now (0 or 1)
 * @param recipients     recipients needed now (0 or 1)
 * @param returnOnly     only hand back the rest (the block expired unused), reserve nothing
 */
public record ReserveRequest(String username, UUID leaseId, long seq, int messagesLeft, int recipientsLeft,
        int messages, int recipients, boolean returnOnly) {
}
