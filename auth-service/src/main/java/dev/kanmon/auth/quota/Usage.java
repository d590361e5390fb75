package dev.kanmon.auth.quota;

/** One line of a usage report: what a subscriber used in the current window of the given length. */
public record Usage(String username, String metric, String window, long used) {
}
