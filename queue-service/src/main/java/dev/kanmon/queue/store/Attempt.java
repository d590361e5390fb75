package dev.kanmon.queue.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The result of one delivery attempt for one recipient, as reported by the delivery service. */
@Entity
@Table(name = "attempt")
public class Attempt extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "recipient_id", nullable = false)
    public long recipientId;

    @Column(name = "delivery_id", nullable = false)
    public String deliveryId;

    public int attempt;

    @Column(nullable = false)
    public String status;

    @Column(name = "reply_code")
    public Integer replyCode;

    @Column(name = "enhanced_code")
    public String enhancedCode;

    public String diagnostic;

    @Column(name = "remote_mta")
    public String remoteMta;

    @Column(name = "finished_at", nullable = false)
    public Instant finishedAt;
}
