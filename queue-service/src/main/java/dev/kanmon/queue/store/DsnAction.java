package dev.kanmon.queue.store;

import java.util.Locale;

/** RFC 3464 Action values the queue reports. */
public enum DsnAction {
    /** Permanent failure or expiry. */
    FAILED,
    /** Still being retried (delay warning). */
    DELAYED,
    /**
     * Handed to the next hop (NOTIFY=SUCCESS). "relayed" rather than "delivered": the relay cannot know that the
     * message reached the mailbox, as Postfix reports for a next hop that does not take over DSN duties.
     */
    RELAYED;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
