package dev.kanmon.queue.dispatch;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Keeps reactive pipelines on the caller's Vert.x context. Hibernate Reactive sessions must be used from the
 * context that opened them, but Kafka acknowledgements and retry timers complete on other threads.
 */
public final class OnContext {

    private OnContext() {
    }

    /** Emits {@code uni}'s outcome on the Vert.x context current at assembly time (if any). */
    public static <T> Uni<T> resumeHere(Uni<T> uni) {
        Context ctx = Vertx.currentContext();
        return ctx == null ? uni : uni.emitOn(executor(ctx));
    }

    /** Subscribes to {@code work} on the current context every time, so that it can be retried from a timer. */
    public static <T> Uni<T> retryable(Supplier<Uni<? extends T>> work) {
        Context ctx = Vertx.currentContext();
        if (ctx == null) {
            return Uni.createFrom().<T>deferred(work);
        }
        Executor ex = executor(ctx);
        return Uni.createFrom().<T>deferred(work).runSubscriptionOn(ex).emitOn(ex);
    }

    private static Executor executor(Context ctx) {
        return command -> ctx.runOnContext(ignored -> command.run());
    }
}
