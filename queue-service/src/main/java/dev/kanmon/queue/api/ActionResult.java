package dev.kanmon.queue.api;

/** Outcome of an operator action: how many recipients it changed. */
public record ActionResult(String queueId, String action, int recipients) {
}
