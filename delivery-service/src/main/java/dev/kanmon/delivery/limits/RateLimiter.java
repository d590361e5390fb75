package dev.kanmon.delivery.limits;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Messages per time unit per destination domain, as a generic cell rate algorithm: each message reserves the
 * next emission slot, a burst of up to the whole period's allowance passes at once, and a message over the
 * rate waits for its slot (it is never failed).
 */
@ApplicationScoped
public class RateLimiter {

    private final Vertx vertx;
    private final DestinationLimits limits;
    private final ConcurrentHashMap<String, long[]> theoreticalArrival = new ConcurrentHashMap<>();

    public RateLimiter(Vertx vertx, DestinationLimits limits) {
        this.vertx = vertx;
        this.limits = limits;
    }

    /** Completes when a message to {@code domain} may be sent. */
    public Future<Void> acquire(String domain) {
        long waitNanos = reserve(domain, System.nanoTime());
        if (waitNanos <= 0) {
            return Future.succeededFuture();
        }
        Promise<Void> promise = Promise.promise();
        vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)), t -> promise.complete());
        return promise.future();
    }

    /** Reserves a slot; returns how long the caller has to wait for it, in nanoseconds. */
    long reserve(String domain, long now) {
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
            tat[0] = start + interval;
            return Math.max(0, start - tolerance - now);
        }
    }
}
