package dev.kanmon.core.queue;

import java.time.Instant;
import java.util.List;

/**
 * What a delivery worker reports on {@value Topics#RESULTS} after trying a {@link DeliveryRequest}.
 *
 * @param deliveryId  the request's id
 * @param queueId     the message's queue id
 * @param domain      destination domain
 * @param attempt     the request's attempt number
 * @param recipients  one result per recipient of the request
 * @param finishedAt  when the attempt ended
 */
public record DeliveryResult(
        String deliveryId,
        String queueId,
        String domain,
        int attempt,
        List<RecipientResult> recipients,
        Instant finishedAt) {

    public DeliveryResult {
        recipients = List.copyOf(recipients);
    }
}
