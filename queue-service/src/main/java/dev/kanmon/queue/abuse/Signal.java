package dev.kanmon.queue.abuse;

/**
 * One scored signal.
 *
 * @param name   stable name, also the metric tag ({@code new_network}, {@code recipient_domains}, ...)
 * @param value  the measured value (count, ratio or share)
 * @param points what it adds to the score
 * @param access whether it is about access to the account (new network, stuffing) rather than traffic
 */
public record Signal(String name, double value, int points, boolean access) {
}
