package dev.kanmon.submission.message;

/**
 * What a NUL octet in message content does. RFC 5322 §3.5 and RFC 6152 (8BITMIME) forbid it, and some next hops
 * drop NULs before they look for the end of data, so a NUL is never forwarded.
 */
public enum NulPolicy {
    /** {@code 554 5.6.0}: the message is refused at the end of data. */
    REJECT,
    /** Every NUL is removed and the rest of the message is queued [Postfix: message_strip_characters = \0]. */
    STRIP
}
