package dev.kanmon.core.queue;

/**
 * A recipient inside a {@link DeliveryRequest}.
 *
 * @param recipientId queue-service row id, echoed back in {@link RecipientResult}
 * @param recipient   the envelope recipient with its DSN parameters
 */
public record DeliveryRecipient(long recipientId, EnvelopeRecipient recipient) {
}
