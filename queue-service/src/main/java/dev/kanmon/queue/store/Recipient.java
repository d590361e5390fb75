package dev.kanmon.queue.store;

import dev.kanmon.core.queue.EnvelopeRecipient;
import dev.kanmon.core.queue.Notify;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** One envelope recipient of a {@link QueuedMessage} and its delivery state. */
@Entity
@Table(name = "recipient")
public class Recipient extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "queue_id", nullable = false)
    public String queueId;

    public int position;

    @Column(nullable = false)
    public String address;

    @Column(nullable = false)
    public String domain;

    @Column(nullable = false)
    public String notify;

    public String orcpt;

    @Column(nullable = false)
    public RecipientState state;

    public int attempts;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "last_attempt_at")
    public Instant lastAttemptAt;

    @Column(name = "delivery_id")
    public String deliveryId;

    @Column(name = "reply_code")
    public Integer replyCode;

    @Column(name = "enhanced_code")
    public String enhancedCode;

    public String diagnostic;

    @Column(name = "remote_mta")
    public String remoteMta;

    /** The DSN action ({@link DsnAction}) owed to the sender; cleared once the DSN is produced or suppressed. */
    @Column(name = "dsn_pending")
    public String dsnPending;

    @Column(name = "delay_warned", nullable = false)
    public boolean delayWarned;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static Recipient of(String queueId, int position, EnvelopeRecipient rcpt, RecipientState state, Instant now) {
        Recipient r = new Recipient();
        r.queueId = queueId;
        r.position = position;
        r.address = rcpt.address();
        r.domain = rcpt.domain();
        r.notify = rcpt.notifications().stream().map(Enum::name).sorted().collect(Collectors.joining(","));
        r.orcpt = rcpt.orcpt();
        r.state = state;
        r.updatedAt = now;
        return r;
    }

    public Set<Notify> notifications() {
        if (notify.isEmpty()) {
            return Set.of();
        }
        return Arrays.stream(notify.split(",")).map(Notify::valueOf)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Notify.class)));
    }

    /** RFC 3461 §4.1: without NOTIFY the relay reports FAILURE and DELAY. */
    public boolean wants(Notify kind) {
        Set<Notify> n = notifications();
        if (n.isEmpty()) {
            return kind == Notify.FAILURE || kind == Notify.DELAY;
        }
        return !n.contains(Notify.NEVER) && n.contains(kind);
    }

    /**
     * Ends the recipient without a remote reply (its body expired from the queue, an operator bounced it): a final
     * state, the enhanced code and diagnostic the DSN reports, and a failure DSN owed when the message may have one
     * and the recipient asked for it.
     */
    public void finishLocally(RecipientState finalState, String enhanced, String why, boolean dsnAllowed,
            Instant now) {
        state = finalState;
        nextAttemptAt = null;
        replyCode = null;
        enhancedCode = enhanced;
        diagnostic = why;
        remoteMta = null;
        updatedAt = now;
        if (dsnAllowed && wants(Notify.FAILURE)) {
            dsnPending = DsnAction.FAILED.name();
        }
    }

    public EnvelopeRecipient toEnvelopeRecipient() {
        return new EnvelopeRecipient(address, notifications(), orcpt);
    }
}
