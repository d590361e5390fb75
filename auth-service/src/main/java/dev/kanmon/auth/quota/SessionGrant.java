package dev.kanmon.auth.quota;

import java.util.UUID;

/**
 * Answer to a session-lease request.
 *
 * @param allowed              whether the session may proceed
 * @param leaseId              lease to release at the end of the session (null when refused)
 * @param reply                the SMTP reply to send when refused
 * @param recipientsPerMessage the per-message recipient limit, enforced by the session itself
 * @param escrow               the session's first block when it asked for one, else {@link EscrowGrant#NONE}
 */
public record SessionGrant(boolean allowed, UUID leaseId, QuotaReply reply, int recipientsPerMessage,
        EscrowGrant escrow) {

    static SessionGrant refuse(QuotaReply reply, Limits limits) {
        return new SessionGrant(false, null, reply, limits.recipientsPerMessage(), EscrowGrant.NONE);
    }
}
