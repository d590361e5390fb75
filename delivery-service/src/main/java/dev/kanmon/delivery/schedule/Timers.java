package dev.kanmon.delivery.schedule;

/** One-shot timers (Vert.x's in production, a hand-driven clock in unit tests). */
@FunctionalInterface
public interface Timers {

    /** Runs {@code task} once after {@code delayMillis}. */
    void schedule(long delayMillis, Runnable task);
}
