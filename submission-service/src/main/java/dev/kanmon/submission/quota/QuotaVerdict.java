package dev.kanmon.submission.quota;

import dev.kanmon.core.smtp.SmtpReply;

/**
 * The ledger's answer for a session, a block reservation, or the fallback when it could not answer.
 *
 * @param allowed              whether to proceed
 * @param reply                the reply to send when not allowed
 * @param recipientsPerMessage the per-message recipient limit to enforce locally ({@code 452 4.5.3}); 0 if unknown
 * @param leaseId              for sessions: the lease to release at the end, else null
 * @param block                the escrow block reserved (the units needed now included); {@link Block#NONE} if none
 * @param retryMillis          refused only because other sessions of the user hold blocks that may come back: ask
 *                             again after this long; 0 for a final answer
 */
public record QuotaVerdict(boolean allowed, SmtpReply reply, int recipientsPerMessage, String leaseId, Block block,
        long retryMillis) {

    static final QuotaVerdict UNCHECKED = new QuotaVerdict(true, null, 0, null, Block.NONE, 0);

    /**
     * Units a session may spend without asking the ledger.
     *
     * @param seq        the block's number, quoted when its rest is returned
     * @param messages   messages reserved
     * @param recipients recipients reserved
     * @param validUntil {@link System#nanoTime()} after which the block must not be spent: the ledger's validity
     *                   counted from when the request was sent, so it can only end early, never late
     */
    public record Block(long seq, int messages, int recipients, long validUntil) {

        public static final Block NONE = new Block(0, 0, 0, 0);
    }
}
