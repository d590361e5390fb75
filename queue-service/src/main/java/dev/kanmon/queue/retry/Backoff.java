package dev.kanmon.queue.retry;

import java.time.Duration;

/**
 * Postfix-like retry delay: {@code initial * 2^(attempts-1)}, capped at {@code max}. With the defaults (5 min,
 * 4 h) retries come after 5, 10, 20, 40, 80, 160 minutes and then every 4 hours.
 */
public record Backoff(Duration initial, Duration max) {

    /** Delay before the retry that follows the {@code attempts}-th failed attempt (1 for the first). */
    public Duration after(int attempts) {
        int doublings = Math.max(0, attempts - 1);
        if (doublings >= 62 || initial.toMillis() > max.toMillis() >> Math.min(doublings, 62)) {
            return max;
        }
        Duration d = initial.multipliedBy(1L << doublings);
        return d.compareTo(max) > 0 ? max : d;
    }
}
