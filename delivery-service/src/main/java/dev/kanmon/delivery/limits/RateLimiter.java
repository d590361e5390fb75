package dev.kanmon.delivery.limits;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Messages per time unit per destination domain, as a generic cell rate algorithm: a burst of up to the whole
 * period's allowance passes at once, then messages are spaced by {@code period / messages}. A caller over the rate
 * is told how long to wait and reserves nothing, so that the delivery scheduler can serve someone else meanwhile
 * instead of parking the message on a timer.
 */
@ApplicationScoped
public class RateLimiter {

    private final DestinationLimits limits;
    private final ConcurrentHashMap<String, long[]> theoreticalArrival = new ConcurrentHashMap<>();

    public RateLimiter(DestinationLimits limits) {
        this.limits = limits;
    }

    /**
     * Takes a slot for one message to {@code domain} if one is free at {@code now} (nanoseconds, monotonic).
     *
     * @return 0 when the slot was taken, else how many nanoseconds from {@code now} until one is free (nothing taken)
     */
    public long tryAcquire(String domain, long now) {
        DestinationLimits.Limits l = limits.of(domain);
        if (l.rateMessages() <= 0) {
            return 0;
        }
        long period = l.ratePeriod().toNanos();
        long interval = period / l.rateMessages();
        long tolerance = period - interval;
        long[] tat = theoreticalArrival.computeIfAbsent(domain, d -> new long[] {now});
        synchronized (tat) {
            long start = Math.max(tat[0], now);
            long wait = start - tolerance - now;
            if (wait > 0) {
                return wait;
            }
            tat[0] = start + interval;
            return 0;
        }
    }
}
