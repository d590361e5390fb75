package dev.kanmon.delivery.worker;

import dev.kanmon.delivery.schedule.FairScheduler;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Withdraws the records still waiting in the scheduler when their partitions are revoked or lost, as the connector
 * drops its own buffered records of those partitions (named by
 * {@code mp.messaging.incoming.outbound.consumer-rebalance-listener.name}).
 */
@ApplicationScoped
@Identifier(OutboundRebalance.NAME)
public class OutboundRebalance implements KafkaConsumerRebalanceListener {

    static final String NAME = "delivery-outbound-rebalance";

    private final FairScheduler scheduler;

    public OutboundRebalance(FairScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        scheduler.withdraw(partitions);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        scheduler.withdraw(partitions);
    }
}
