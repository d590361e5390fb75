package dev.kanmon.auth.quota;

/** A named set of limits that subscribers are assigned to. A limit of 0 allows nothing. */
public record Plan(
        String name,
        int messagesPerMinute,
        int messagesPerHour,
        int messagesPerDay,
        int recipientsPerMessage,
        int recipientsPerDay,
        int concurrentSessions) {
}
