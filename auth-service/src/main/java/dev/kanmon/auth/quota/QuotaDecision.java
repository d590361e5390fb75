package dev.kanmon.auth.quota;

/**
 * Answer to a consume request.
 *
 * @param allowed              whether the message/recipients may proceed
 * @param limit                which limit refused it ({@code suspended}, {@code messages-per-hour}, …), or null
 * @param reply                the SMTP reply to send when refused, else null
 * @param recipientsPerMessage the per-message recipient limit, enforced by the session itself
 */
public record QuotaDecision(boolean allowed, String limit, QuotaReply reply, int recipientsPerMessage) {

    static QuotaDecision allow(Limits limits) {
        return new QuotaDecision(true, null, null, limits.recipientsPerMessage());
    }

    static QuotaDecision refuse(String limit, QuotaReply reply, Limits limits) {
        return new QuotaDecision(false, limit, reply, limits.recipientsPerMessage());
    }
}
