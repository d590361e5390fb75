package dev.kanmon.auth.quota;

/**
 * Answer to a consume or reserve request.
 *
 * @param allowed              whether the message/recipients may proceed
 * @param limit                which limit refused it ({@code suspended}, {@code messages-per-hour}, …), or null
 * @param reply                the SMTP reply to send when refused, else null
 * @param recipientsPerMessage the per-message recipient limit, enforced by the session itself
 * @param escrow               the block reserved (including the units needed now); {@link EscrowGrant#NONE} when
 *                             refused
 * @param retryMillis          when refused only because other sessions of the user hold blocks that may come
 *                             back: ask again after this long; 0 for a final answer
 */
public record QuotaDecision(boolean allowed, String limit, QuotaReply reply, int recipientsPerMessage,
        EscrowGrant escrow, int retryMillis) {

    static QuotaDecision allow(Limits limits, EscrowGrant escrow) {
        return new QuotaDecision(true, null, null, limits.recipientsPerMessage(), escrow, 0);
    }

    static QuotaDecision refuse(String limit, QuotaReply reply, Limits limits, int retryMillis) {
        return new QuotaDecision(false, limit, reply, limits.recipientsPerMessage(), EscrowGrant.NONE, retryMillis);
    }
}
