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
     * Plans the next attempt for {@code recipients} (all of {@code message}): {@link #assign} then {@link #requests}.
     */
    public static List<DeliveryRequest> plan(QueuedMessage message, Collection<Recipient> recipients) {
        assign(recipients);
        return requests(message, recipients);
    }

    /**
     * Stamps the recipients with one new delivery id per domain and the next attempt number. The stamp is stored
     * with the recipient before the request is published, so that a result arriving before the state change
     * commits is still recognised, and a request published again after a crash carries the same delivery id
     * (its result is then applied once).
     */
    public static void assign(Collection<Recipient> recipients) {
        Map<String, List<Recipient>> byDomain = new LinkedHashMap<>();
        for (Recipient r : recipients) {
            byDomain.computeIfAbsent(r.domain, d -> new ArrayList<>()).add(r);
        }
        byDomain.values().forEach(group -> {
            String deliveryId = QueueId.next();
            int attempt = group.stream().mapToInt(r -> r.attempts).max().orElse(0) + 1;
            for (Recipient r : group) {
                r.deliveryId = deliveryId;
                r.attempts = attempt;
            }
        });
    }

    /** One request per delivery id the (stamped, stored) recipients carry. */
    public static List<DeliveryRequest> requests(QueuedMessage message, Collection<Recipient> recipients) {
        Map<String, List<Recipient>> byDelivery = new LinkedHashMap<>();
        for (Recipient r : recipients) {
            byDelivery.computeIfAbsent(r.deliveryId, d -> new ArrayList<>()).add(r);
        }
        List<DeliveryRequest> requests = new ArrayList<>(byDelivery.size());
        byDelivery.forEach((deliveryId, group) -> {
            Recipient first = group.get(0);
            List<DeliveryRecipient> rcpts = group.stream()
                    .map(r -> new DeliveryRecipient(r.id, r.toEnvelopeRecipient())).toList();
            requests.add(new DeliveryRequest(deliveryId, message.queueId, message.mailFrom, first.domain, rcpts,
                    message.bodyType, message.smtpUtf8, message.envid, message.ret, first.attempts, message.size));
        });
        return requests;
    }
}
