package dev.kanmon.core.queue;

/**
 * Outcome for one recipient of a {@link DeliveryRequest}.
 *
 * @param recipientId  echoed from {@link DeliveryRecipient#recipientId()}
 * @param address      the recipient
 * @param status       delivered, deferred or failed
 * @param replyCode    SMTP reply code that decided it (0 when no SMTP reply was involved, e.g. DNS)
 * @param enhancedCode RFC 3463 status, e.g. {@code 5.1.1}
 * @param diagnostic   the remote reply text or the local reason, for logs and DSN Diagnostic-Code
 * @param remoteMta    host that answered, or null
 */
public record RecipientResult(
        long recipientId,
        String address,
        RecipientStatus status,
        int replyCode,
        String enhancedCode,
        String diagnostic,
        String remoteMta) {
}
