package dev.kanmon.submission.message;

/** What happens when an authenticated user's header {@code From:} names a mailbox the user does not own. */
public enum FromPolicy {
    /** {@code 550 5.7.1}: the message is refused (docomo). */
    REJECT,
    /** {@code From:} becomes the envelope sender; the original value is kept in {@code X-Original-From:} (Gmail). */
    REWRITE,
    /** No check (goo). */
    OFF
}
