package dev.kanmon.delivery.schedule;

import dev.kanmon.core.queue.DeliveryRequest;
import dev.kanmon.core.queue.DeliveryResult;
import dev.kanmon.delivery.config.DeliveryConfig;
import dev.kanmon.delivery.limits.DestinationLimits;
import dev.kanmon.delivery.limits.RateLimiter;
import dev.kanmon.delivery.metrics.DeliveryMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Decides which received record is delivered next. A record gets one of the instance's {@code concurrency} slots
 * only when it can start at once: its destination has a free connection slot and a free rate slot. Until then it
 * waits here without holding anything, so a rate- or connection-limited destination never occupies the instance's
 * concurrency and mail to other destinations keeps flowing. Destinations that can start are served in turn; within
 * a destination the senders are served in turn ({@link SenderQueues}), so one sender's flood delays another sender's
 * message by at most one round of the senders waiting for that destination.
 *
 * <p>Kafka keeps one partition in order and commits offsets, so the instance must read past a flood to reach the
 * records behind it. Each destination therefore holds at most {@link #backlog(String)} records, and all waiting
 * records together at most {@code max-waiting-bytes} of messages; beyond that the newest record of the sender with
 * the most waiting is handed back to the queue-service as deferred (4.4.5), and the queue's retry schedule brings
 * it back later. A record waiting here is not acknowledged, so a crash re-delivers
 * it from the last committed offset like any record in flight.
 */
@ApplicationScoped
public class FairScheduler {

    private static final Logger LOG = Logger.getLogger(FairScheduler.class);

    /** A received record on its way through the scheduler; {@code source} is its partition. */
    private record Job(DeliveryRequest request, byte[] message, String sender, TopicPartition source,
            Promise<DeliveryResult> result) {
    }

    /** Ends the future of a waiting record whose partition was revoked: it was never started, give no result. */
    public static final class Withdrawn extends RuntimeException {
        Withdrawn(TopicPartition partition) {
            super("partition " + partition + " revoked while the record waited", null, false, false);
        }
    }

    /** The state of one destination domain. */
    private static final class Destination {
        final String domain;
        final SenderQueues<Job> waiting = new SenderQueues<>();
        int active;
        /** In {@link #ready}, its turn among the destinations still to come. */
        boolean inTurn;
        /** Waiting for a rate slot: back in turn when the timer fires. */
        boolean timerSet;

        Destination(String domain) {
            this.domain = domain;
        }
    }

    private final DeliveryAttempts attempts;
    private final DestinationLimits limits;
    private final RateLimiter rate;
    private final Timers timers;
    private final LongSupplier clock;
    private final DeliveryMetrics metrics;
    private final int concurrency;
    private final int perDestination;
    private final Duration maxHold;
    private final long maxWaitingBytes;

    private final Map<String, Destination> destinations = new HashMap<>();
    /** Destinations with something waiting that may be able to start, in the order of their next turn. */
    private final ArrayDeque<Destination> ready = new ArrayDeque<>();
    private int active;
    private int waiting;
    private long waitingBytes;
    private boolean dispatching;
    private boolean again;

    @Inject
    public FairScheduler(DeliveryAttempts attempts, DestinationLimits limits, RateLimiter rate, Vertx vertx,
            DeliveryMetrics metrics, DeliveryConfig config) {
        this(attempts, limits, rate, (ms, task) -> vertx.setTimer(ms, id -> task.run()), System::nanoTime, metrics,
                config.concurrency(), config.backlog().perDestination().orElse(Integer.MAX_VALUE),
                config.backlog().maxHold(), config.backlog().maxWaitingBytes().asLongValue());
    }

    FairScheduler(DeliveryAttempts attempts, DestinationLimits limits, RateLimiter rate, Timers timers,
            LongSupplier clock, DeliveryMetrics metrics, int concurrency, int perDestination, Duration maxHold,
            long maxWaitingBytes) {
        this.attempts = attempts;
        this.limits = limits;
        this.rate = rate;
        this.timers = timers;
        this.clock = clock;
        this.metrics = metrics;
        this.concurrency = concurrency;
        this.perDestination = perDestination;
        this.maxHold = maxHold;
        this.maxWaitingBytes = maxWaitingBytes;
        metrics.scheduler(this::waiting, this::waitingBytes, this::active);
    }

    private synchronized int waiting() {
        return waiting;
    }

    private synchronized long waitingBytes() {
        return waitingBytes;
    }

    private synchronized int active() {
        return active;
    }

    /**
     * Completes with the result of the record: delivered (or tried), or deferred back to the queue; fails with
     * {@link Withdrawn} if its partition is revoked while it waits.
     */
    public Future<DeliveryResult> submit(DeliveryRequest request, byte[] message, TopicPartition source) {
        Job job = new Job(request, message, sender(request), source, Promise.promise());
        List<Job> dropped = new ArrayList<>();
        synchronized (this) {
            Destination d = destinations.computeIfAbsent(request.domain(), Destination::new);
            d.waiting.add(job.sender(), job);
            waiting++;
            waitingBytes += message.length;
            if (d.waiting.size() > backlog(d.domain)) {
                dropped.add(d.waiting.dropFromLongest(job.sender()));
            }
            while (waitingBytes - bytes(dropped) > maxWaitingBytes) {
                Destination fattest = destinations.values().stream()
                        .max(Comparator.comparingInt(x -> x.waiting.longest())).orElseThrow();
                if (fattest.waiting.longest() < 2) {
                    break; // only single records: kept over the budget
                }
                dropped.add(fattest.waiting.dropFromLongest(job.sender()));
            }
            waiting -= dropped.size();
            waitingBytes -= bytes(dropped);
            if (!d.inTurn && !d.timerSet) {
                d.inTurn = true;
                ready.addLast(d);
            }
        }
        dropped.forEach(this::defer);
        dispatch();
        return job.result().future();
    }

    private static long bytes(List<Job> jobs) {
        long n = 0;
        for (Job j : jobs) {
            n += j.message().length;
        }
        return n;
    }

    /**
     * Takes back the waiting records of partitions this instance no longer owns: the new owner reads them again from
     * the last committed offset (this one too, if the partition comes back), so starting them here would deliver
     * them twice. Deliveries already under way finish.
     */
    public void withdraw(Collection<TopicPartition> revoked) {
        List<Job> withdrawn = new ArrayList<>();
        synchronized (this) {
            for (Destination d : destinations.values()) {
                withdrawn.addAll(d.waiting.removeIf(job -> revoked.contains(job.source())));
            }
            waiting -= withdrawn.size();
            waitingBytes -= bytes(withdrawn);
        }
        if (!withdrawn.isEmpty()) {
            LOG.infof("%d waiting records of revoked partitions %s withdrawn", withdrawn.size(), revoked);
        }
        withdrawn.forEach(job -> job.result().fail(new Withdrawn(job.source())));
    }

    /**
     * How many records may wait for {@code domain}: {@code per-destination} (unbounded when unset), and no more than its
     * rate lets out within {@code max-hold}, so that no record waits here longer than that for its rate.
     */
    int backlog(String domain) {
        DestinationLimits.Limits l = limits.of(domain);
        if (l.rateMessages() <= 0) {
            return perDestination;
        }
        double byRate = (double) l.rateMessages() * maxHold.toNanos() / l.ratePeriod().toNanos();
        return (int) Math.max(1, Math.min(perDestination, byRate));
    }

    /** The fairness key: the envelope sender, the identity the subscriber's sender rights pin down at submission. */
    static String sender(DeliveryRequest request) {
        String from = request.mailFrom();
        return from == null || from.isEmpty() ? "<>" : from.toLowerCase(Locale.ROOT);
    }

    /**
     * Starts whatever can start. One thread dispatches at a time; a call while another thread (or this one, from a
     * delivery that completed at once) is dispatching makes that dispatcher look again instead of recursing.
     */
    private void dispatch() {
        synchronized (this) {
            if (dispatching) {
                again = true;
                return;
            }
            dispatching = true;
        }
        while (true) {
            List<Job> start;
            synchronized (this) {
                start = pick();
                if (start.isEmpty() && !again) {
                    dispatching = false;
                    return;
                }
                again = false;
            }
            start.forEach(this::start);
        }
    }

    /** Takes the jobs that can start now, one per destination turn. Called with the lock held. */
    private List<Job> pick() {
        List<Job> start = new ArrayList<>();
        long now = clock.getAsLong();
        while (active < concurrency && !ready.isEmpty()) {
            Destination d = ready.pollFirst();
            d.inTurn = false;
            if (d.waiting.isEmpty()) {
                forgetIfIdle(d);
                continue;
            }
            if (d.active >= limits.of(d.domain).connections()) {
                continue; // back in turn when one of its deliveries finishes
            }
            long wait = rate.tryAcquire(d.domain, now);
            if (wait > 0) {
                d.timerSet = true;
                timers.schedule(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait + 999_999)), () -> rateSlotDue(d));
                continue;
            }
            Job job = d.waiting.next();
            waiting--;
            waitingBytes -= job.message().length;
            active++;
            d.active++;
            start.add(job);
            if (!d.waiting.isEmpty()) {
                d.inTurn = true;
                ready.addLast(d);
            }
        }
        return start;
    }

    private void rateSlotDue(Destination d) {
        synchronized (this) {
            d.timerSet = false;
            if (!d.inTurn) {
                d.inTurn = true;
                ready.addLast(d);
            }
        }
        dispatch();
    }

    private void start(Job job) {
        Future<DeliveryResult> delivery;
        try {
            delivery = attempts.deliver(job.request(), job.message());
        } catch (RuntimeException e) {
            delivery = Future.failedFuture(e);
        }
        delivery.onComplete(ar -> finished(job, ar.succeeded() ? ar.result()
                : failed(job, ar.cause())));
    }

    private DeliveryResult failed(Job job, Throwable cause) {
        LOG.errorf(cause, "delivery %s of %s failed unexpectedly", job.request().deliveryId(), job.request().queueId());
        return attempts.deferred(job.request(), "4.3.0", "internal error in delivery: " + cause);
    }

    private void finished(Job job, DeliveryResult result) {
        synchronized (this) {
            Destination d = destinations.get(job.request().domain());
            active--;
            d.active--;
            if (!d.inTurn && !d.timerSet && !d.waiting.isEmpty()) {
                d.inTurn = true;
                ready.addLast(d);
            }
            forgetIfIdle(d);
        }
        job.result().complete(result);
        dispatch();
    }

    private void defer(Job job) {
        DeliveryRequest r = job.request();
        metrics.backlogDeferred(r.domain());
        job.result().complete(attempts.deferred(r, "4.4.5", "too many messages from this sender are waiting for "
                + r.domain() + "; deferred so that other senders' mail is not delayed"));
    }

    private void forgetIfIdle(Destination d) {
        if (d.waiting.isEmpty() && d.active == 0 && !d.inTurn && !d.timerSet) {
            destinations.remove(d.domain);
        }
    }
}
