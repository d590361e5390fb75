package dev.kanmon.auth.quota;

/**
 * What a submission session is about to use: at MAIL FROM one message, at each RCPT TO one recipient.
 *
 * @param username   the authenticated user
 * @param messages   messages to count (0 or 1)
 * @param recipients recipients to count
 */
public record ConsumeRequest(String username, int messages, int recipients) {
}
