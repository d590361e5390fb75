package dev.kanmon.queue.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The raw message as queued. Stored in PostgreSQL because retries and DSNs need it after the Kafka record
 * may have left the topic's retention.
 */
@Entity
@Table(name = "message_body")
public class MessageBody extends PanacheEntityBase {

    @Id
    @Column(name = "queue_id")
    public String queueId;

    @Column(nullable = false)
    public byte[] body;

    public static MessageBody of(String queueId, byte[] body) {
        MessageBody b = new MessageBody();
        b.queueId = queueId;
        b.body = body;
        return b;
    }
}
