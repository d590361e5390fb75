package dev.kanmon.queue.store;

import java.util.Locale;

/** Per-recipient queue state; stored lower case, as operators see it. */
public enum RecipientState {
    /** Persisted, delivery request not yet published. */
    QUEUED,
    /** A delivery request is out; waiting for its result. */
    DELIVERING,
    /** The next hop accepted the message. Final. */
    DELIVERED,
    /** Temporary failure; retried at {@code next_attempt_at}. */
    DEFERRED,
    /** Permanent failure or operator bounce. Final. */
    BOUNCED,
    /** Temporary failures until the maximal queue lifetime. Final. */
    EXPIRED,
    /** Put on hold by an operator; not retried until released. */
    HELD;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RecipientState ofDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    public boolean isFinal() {
        return this == DELIVERED || this == BOUNCED || this == EXPIRED;
    }
}
