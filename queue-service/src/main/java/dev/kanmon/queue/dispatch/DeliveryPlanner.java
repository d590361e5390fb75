package dev.kanmon.queue.dispatch;

import dev.kanmon.core.queue.DeliveryRecipient;
import dev.kanmon.core.queue.DeliveryRequest;
import dev.kanmon.core.queue.QueueId;
import dev.kanmon.queue.store.QueuedMessage;
import dev.kanmon.queue.store.Recipient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Splits the recipients of one message into one {@link DeliveryRequest} per destination domain. */
public final class DeliveryPlanner {

    private DeliveryPlanner() {
    }

    /**
     * Plans the next attempt for {@code recipients} (all of {@code message}) and stamps each recipient with the
     * request's delivery id and attempt number, so that a result arriving before the state change commits is
     * still recognised.
     */
    public static List<DeliveryRequest> plan(QueuedMessage message, Collection<Recipient> recipients) {
        Map<String, List<Recipient>> byDomain = new LinkedHashMap<>();
        for (Recipient r : recipients) {
            byDomain.computeIfAbsent(r.domain, d -> new ArrayList<>()).add(r);
        }
        List<DeliveryRequest> requests = new ArrayList<>(byDomain.size());
        byDomain.forEach((domain, group) -> {
            String deliveryId = QueueId.next();
            int attempt = group.stream().mapToInt(r -> r.attempts).max().orElse(0) + 1;
            List<DeliveryRecipient> rcpts = new ArrayList<>(group.size());
            for (Recipient r : group) {
                r.deliveryId = deliveryId;
                r.attempts = attempt;
                rcpts.add(new DeliveryRecipient(r.id, r.toEnvelopeRecipient()));
            }
            requests.add(new DeliveryRequest(deliveryId, message.queueId, message.mailFrom, domain, rcpts,
                    message.bodyType, message.smtpUtf8, message.envid, message.ret, attempt, message.size));
        });
        return requests;
    }
}
