package dev.kanmon.submission.quota;

import dev.kanmon.core.smtp.SmtpReply;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

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
     * Reads the ledger's JSON answer ({@code allowed, reply, recipientsPerMessage, leaseId, escrow, retryMillis}).
     *
     * @param sentAt {@link System#nanoTime()} when the request was sent: the block's validity counts from there
     */
    public static QuotaVerdict fromJson(JsonObject json, long sentAt) {
        JsonObject reply = json.getJsonObject("reply");
        SmtpReply smtp = reply == null ? null
                : SmtpReply.of(reply.getInteger("code"), reply.getString("enhanced"), reply.getString("text"));
        JsonObject escrow = json.getJsonObject("escrow");
        Block block = escrow == null ? Block.NONE : new Block(
                escrow.getLong("seq", 0L), escrow.getInteger("messages", 0), escrow.getInteger("recipients", 0),
                sentAt + TimeUnit.MILLISECONDS.toNanos(escrow.getLong("validMillis", 0L)));
        return new QuotaVerdict(json.getBoolean("allowed", false), smtp, json.getInteger("recipientsPerMessage", 0),
                json.getString("leaseId"), block, json.getLong("retryMillis", 0L));
    }

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
