package dev.kanmon.submission.smtp.io;

import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;

/**
 * A session's idle timeout (RFC 5321 §4.5.3.2): it expires when no input arrived for the timeout, except while the
 * session itself waits for a back end. One timer per session, re-armed for the time left rather than per input.
 */
public final class IdleTimer {

    private final Vertx vertx;
    private final long timeoutMillis;
    private final BooleanSupplier waiting;
    private final Runnable expired;
    private long lastInput = System.nanoTime();
    private long timer = -1;

    public IdleTimer(Vertx vertx, long timeoutMillis, BooleanSupplier waiting, Runnable expired) {
        this.vertx = vertx;
        this.timeoutMillis = timeoutMillis;
        this.waiting = waiting;
        this.expired = expired;
    }

    public void start() {
        lastInput = System.nanoTime();
        timer = vertx.setTimer(timeoutMillis, t -> check());
    }

    /** Input arrived. */
    public void touch() {
        lastInput = System.nanoTime();
    }

    public void cancel() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    private void check() {
        long idle = (System.nanoTime() - lastInput) / 1_000_000;
        boolean busy = waiting.getAsBoolean();
        if (!busy && idle >= timeoutMillis) {
            timer = -1;
            expired.run();
            return;
        }
        long wait = busy ? timeoutMillis : timeoutMillis - idle;
        timer = vertx.setTimer(Math.max(1, wait), t -> check());
    }
}
