package dev.kanmon.core.queue;

/** Outcome of one delivery attempt for one recipient. */
public enum RecipientStatus {
    /** The next hop accepted responsibility (2xx after DATA). */
    DELIVERED,
    /** Temporary failure: retry later. */
    DEFERRED,
    /** Permanent failure: bounce. */
    FAILED
}
