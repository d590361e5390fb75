package dev.kanmon.queue.api;

import java.util.List;

/** A page of the queue listing. */
public record QueuePage(int page, int size, long total, List<MessageSummary> messages) {
}
