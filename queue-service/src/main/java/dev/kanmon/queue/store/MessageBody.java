package dev.kanmon.queue.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The raw message of a row queued before bodies stayed in Kafka ({@code V2__body_in_kafka.sql}); read, never
 * written any more. Its rows go with their message (purge, delete).
 */
@Entity
@Table(name = "message_body")
public class MessageBody extends PanacheEntityBase {

    @Id
    @Column(name = "queue_id")
    public String queueId;

    @Column(nullable = false)
    public byte[] body;
}
