package dev.kanmon.auth.quota;

/**
 * The limits in force for one subscriber: the plan's, with per-user overrides applied. A limit of 0 allows
 * nothing.
 */
public record Limits(
        String plan,
        int messagesPerMinute,
        int messagesPerHour,
        int messagesPerDay,
        int recipientsPerMessage,
        int recipientsPerDay,
        int concurrentSessions,
        boolean suspended,
        String suspendedReason) {
}
