package dev.kanmon.core.abuse;

/** The steps of the graduated response and their undoing, as recorded and published. */
public enum AbuseAction {
    /** A lower plan for a while ({@link AbuseEvent#plan()} is the plan to apply). */
    SLOW_DOWN,
    /** The slow-down ended: the plan the subscriber had before comes back. */
    SLOW_DOWN_LIFTED,
    /** New messages of the subscriber are accepted but held in the queue. */
    HOLD,
    /** The hold ended and the held messages were released for delivery. */
    HOLD_RELEASED,
    /** The hold ended and the held messages were bounced or dropped. */
    HOLD_REJECTED,
    /** The subscriber was told (a message to the registered address) and the abuse desk alerted. */
    NOTIFY,
    /** AUTH is refused and open sessions end. */
    SUSPEND,
    /** The suspension was lifted. */
    SUSPENSION_LIFTED
}
