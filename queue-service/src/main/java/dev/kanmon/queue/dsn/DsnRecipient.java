package dev.kanmon.queue.dsn;

import dev.kanmon.queue.store.DsnAction;
import java.time.Instant;

/**
 * The per-recipient fields of a delivery-status report (RFC 3464 §2.3).
 *
 * @param finalRecipient  the address the relay tried
 * @param orcpt           RFC 3461 ORCPT as given ({@code addr-type;xtext}), or null
 * @param action          what happened
 * @param status          RFC 3463 status code
 * @param replyCode       SMTP reply code of the remote MTA, or null when none was involved
 * @param diagnostic      reply text or local reason, or null
 * @param remoteMta       the host that answered, or null
 * @param lastAttemptAt   when the last attempt ended, or null
 * @param willRetryUntil  for delay warnings: when the relay gives up
 */
public record DsnRecipient(
        String finalRecipient,
        String orcpt,
        DsnAction action,
        String status,
        Integer replyCode,
        String diagnostic,
        String remoteMta,
        Instant lastAttemptAt,
        Instant willRetryUntil) {
}
