package dev.kanmon.delivery.worker;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kanmon.delivery.config.DeliveryConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Delivery ids whose result the broker has acknowledged, most recent first. Records complete out of order (a record
 * waiting for its destination's rate holds back the partition's commit while later ones finish), so a rebalance that
 * gives a partition back to this instance re-reads records it already finished; those are skipped instead of being
 * delivered again. Another instance does not know them: across instances delivery stays at-least-once.
 */
@ApplicationScoped
public class CompletedDeliveries {

    private final Cache<String, Boolean> ids;

    public CompletedDeliveries(DeliveryConfig config) {
        this.ids = Caffeine.newBuilder().maximumSize(config.backlog().rememberCompleted()).build();
    }

    void add(String deliveryId) {
        ids.put(deliveryId, Boolean.TRUE);
    }

    boolean contains(String deliveryId) {
        return ids.getIfPresent(deliveryId) != null;
    }
}
