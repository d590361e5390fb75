package dev.kanmon.queue;

import dev.kanmon.core.queue.DeliveryRecipient;
import dev.kanmon.core.queue.DeliveryRequest;
import dev.kanmon.core.queue.DeliveryResult;
import dev.kanmon.core.queue.QueueId;
import dev.kanmon.core.queue.RecipientResult;
import dev.kanmon.core.queue.RecipientStatus;
import java.time.Instant;
import java.util.List;

/** Delivery results as the delivery service reports them. */
public final class Results {

    private Results() {
    }

    public static DeliveryResult all(DeliveryRequest request, RecipientStatus status, int code, String enhanced,
            String text) {
        List<RecipientResult> rr = request.recipients().stream()
                .map(r -> of(r, status, code, enhanced, text)).toList();
        return new DeliveryResult(request.deliveryId(), request.queueId(), request.domain(), request.attempt(), rr,
                Instant.now());
    }

    /** A result for recipients the test looked up in the database (their message was never published). */
    public static DeliveryResult forStored(String queueId, String domain, List<RecipientResult> recipients) {
        return new DeliveryResult(QueueId.next(), queueId, domain, 1, recipients, Instant.now());
    }

    public static RecipientResult stored(long id, String address, RecipientStatus status, int code, String enhanced,
            String text) {
        String domain = address.substring(address.indexOf('@') + 1);
        return new RecipientResult(id, address, status, code, enhanced, text, "mx1." + domain);
    }

    public static RecipientResult of(DeliveryRecipient r, RecipientStatus status, int code, String enhanced,
            String text) {
        return new RecipientResult(r.recipientId(), r.recipient().address(), status, code, enhanced, text,
                "mx1." + r.recipient().domain());
    }
}
