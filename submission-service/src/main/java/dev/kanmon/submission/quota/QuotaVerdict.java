package dev.kanmon.submission.quota;

import dev.kanmon.core.smtp.SmtpReply;

/**
 * The ledger's answer for one session, message or recipient.
 *
 * @param allowed              whether to proceed
 * @param reply                the reply to send when not allowed
 * @param recipientsPerMessage the per-message recipient limit to enforce locally ({@code 452 4.5.3}); 0 if unknown
 * @param leaseId              for sessions: the lease to release at the end, else null
 */
public record QuotaVerdict(boolean allowed, SmtpReply reply, int recipientsPerMessage, String leaseId) {

    static final QuotaVerdict UNCHECKED = new QuotaVerdict(true, null, 0, null);
}
