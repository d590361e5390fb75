package dev.kanmon.auth.quota;

/**
 * An operator's per-subscriber settings: the plan and overrides. Null fields inherit from the plan.
 */
public record SubscriberLimits(
        String plan,
        Integer messagesPerMinute,
        Integer messagesPerHour,
        Integer messagesPerDay,
        Integer recipientsPerMessage,
        Integer recipientsPerDay,
        Integer concurrentSessions) {
}
