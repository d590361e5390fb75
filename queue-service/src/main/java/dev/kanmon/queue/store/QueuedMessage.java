package dev.kanmon.queue.store;

import dev.kanmon.core.queue.BodyType;
import dev.kanmon.core.queue.Envelope;
import dev.kanmon.core.queue.Ret;
import dev.kanmon.core.queue.WireCodec;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One accepted message (envelope facts); its recipients are {@link Recipient} rows. Its bytes stay in the Kafka record
 * at {@link #intakeTopic}/{@link #intakePartition}/{@link #intakeOffset} (older rows: a {@link MessageBody}).
 */
@Entity
@Table(name = "message")
public class QueuedMessage extends PanacheEntityBase {

    @Id
    @Column(name = "queue_id")
    public String queueId;

    @Column(name = "mail_from", nullable = false)
    public String mailFrom;

    @Column(name = "auth_user")
    public String authUser;

    @Column(name = "client_ip")
    public String clientIp;

    public String envid;

    @Enumerated(EnumType.STRING)
    public Ret ret;

    @Enumerated(EnumType.STRING)
    @Column(name = "body_type", nullable = false)
    public BodyType bodyType;

    @Column(name = "smtp_utf8", nullable = false)
    public boolean smtpUtf8;

    @Column(name = "is_dsn", nullable = false)
    public boolean dsn;

    public long size;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @Column(name = "queued_at", nullable = false)
    public Instant queuedAt;

    @Column(name = "intake_topic", nullable = false)
    public String intakeTopic;

    /** Partition of the record in {@link #intakeTopic} that holds the body; null for rows with a {@link MessageBody}. */
    @Column(name = "intake_partition")
    public Integer intakePartition;

    /** Offset of that record; null for rows queued before bodies stayed in Kafka. */
    @Column(name = "intake_offset")
    public Long intakeOffset;

    @Column(name = "envelope_json", nullable = false)
    public String envelopeJson;

    public static QueuedMessage of(Envelope envelope, String intakeTopic, int partition, long offset, Instant now) {
        QueuedMessage m = new QueuedMessage();
        m.queueId = envelope.queueId();
        m.mailFrom = envelope.mailFrom() == null ? "" : envelope.mailFrom();
        m.authUser = envelope.authUser();
        m.clientIp = envelope.clientIp();
        m.envid = envelope.envid();
        m.ret = envelope.ret();
        m.bodyType = envelope.bodyType();
        m.smtpUtf8 = envelope.smtpUtf8();
        m.dsn = envelope.dsn();
        m.size = envelope.size();
        m.receivedAt = envelope.receivedAt() == null ? now : envelope.receivedAt();
        m.queuedAt = now;
        m.intakeTopic = intakeTopic;
        m.intakePartition = partition;
        m.intakeOffset = offset;
        m.envelopeJson = new String(WireCodec.encode(envelope), StandardCharsets.UTF_8);
        return m;
    }

    public boolean nullSender() {
        return mailFrom.isEmpty();
    }

    /**
     * Whether failures may be reported to the sender: never for bounces (null sender or our own DSNs) and only
     * for senders who authenticated, so forged senders get no backscatter.
     */
    public boolean dsnAllowed() {
        return !dsn && !nullSender() && authUser != null && !authUser.isBlank();
    }
}
