package dev.kanmon.auth.keycloak;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.mutiny.core.Vertx;
import java.util.ArrayDeque;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Lets at most {@code limit} password checks run in Keycloak at once and queues the rest in arrival order, each for
 * at most {@code maxWaitMillis}. A password hash is pure CPU: a burst of 200 cold logins sent at once makes every one
 * of them take as long as all 200 together and miss its deadline, while in line they finish one after another, as
 * Dovecot's fixed pool of auth workers does. Thread-safe; the waiting limit is timed, not checked lazily, so a
 * caller never waits longer than asked for.
 */
final class CheckGate {

    /** The check did not start within the waiting limit. */
    static final class QueueTimeout extends TimeoutException {
        QueueTimeout(long waitedMillis) {
            super("no Keycloak credential check slot within " + waitedMillis + " ms");
        }
    }

    private final Vertx vertx;
    private final int limit;
    private final long maxWaitMillis;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private int running;

    CheckGate(Vertx vertx, int limit, long maxWaitMillis) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        this.vertx = vertx;
        this.limit = limit;
        this.maxWaitMillis = maxWaitMillis;
    }

    /** Runs {@code call} when a slot is free; fails with {@link QueueTimeout} when none frees in time. */
    <T> Uni<T> run(Supplier<Uni<T>> call) {
        return Uni.createFrom().emitter(emitter -> {
            Waiter waiter = new Waiter(() -> start(call, emitter), emitter);
            boolean now;
            synchronized (this) {
                now = running < limit;
                if (now) {
                    running++;
                } else {
                    waiting.addLast(waiter);
                }
            }
            if (now) {
                waiter.start.run();
            } else {
                waiter.timer = vertx.setTimer(Math.max(1, maxWaitMillis), id -> expire(waiter));
            }
        });
    }

    /** Checks in Keycloak or in line, for the gauge. */
    synchronized int running() {
        return running;
    }

    synchronized int waiting() {
        return waiting.size();
    }

    private <T> void start(Supplier<Uni<T>> call, UniEmitter<? super T> emitter) {
        Uni<T> uni;
        try {
            uni = call.get();
        } catch (RuntimeException e) {
            release();
            emitter.fail(e);
            return;
        }
        uni.subscribe().with(item -> {
            release();
            emitter.complete(item);
        }, failure -> {
            release();
            emitter.fail(failure);
        });
    }

    private void expire(Waiter waiter) {
        boolean removed;
        synchronized (this) {
            removed = waiting.remove(waiter);
        }
        if (removed) {
            waiter.emitter.fail(new QueueTimeout(maxWaitMillis));
        }
    }

    /** A slot frees: the longest waiter takes it over. */
    private void release() {
        Waiter next;
        synchronized (this) {
            next = waiting.pollFirst();
            if (next == null) {
                running--;
                return;
            }
        }
        vertx.cancelTimer(next.timer);
        next.start.run();
    }

    private static final class Waiter {
        final Runnable start;
        final UniEmitter<?> emitter;
        volatile long timer = -1;

        Waiter(Runnable start, UniEmitter<?> emitter) {
            this.start = start;
            this.emitter = emitter;
        }
    }
}
