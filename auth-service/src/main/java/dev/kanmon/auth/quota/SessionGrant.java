package dev.kanmon.auth.quota;

import java.util.UUID;

/**
 * Answer to a session-lease request.
 *
 * @param allowed whether the session may proceed
 * @param leaseId lease to release at the end of the session (null when refused)
 * @param reply   the SMTP reply to send when refused
 */
public record SessionGrant(boolean allowed, UUID leaseId, QuotaReply reply) {
}
