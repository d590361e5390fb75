package dev.kanmon.submission.quota;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * Group commit of session ends: the leases of ended sessions (and the rests of their escrow blocks) are gathered for
 * at most {@code lingerMillis} and handed to the ledger in one call, one transaction for all of them. Nobody waits
 * for a release, so delaying it by a few milliseconds costs nothing, while a burst of short sessions (a morning of
 * MUAs polling, a benchmark) pays one exchange per batch instead of one per session. Thread-safe: sessions end on
 * every event loop.
 */
final class SessionEnds {

    private final Vertx vertx;
    private final long lingerMillis;
    private final int maxBatch;
    private final Function<JsonArray, Future<?>> send;
    private JsonArray pending = new JsonArray();
    private boolean scheduled;

    /** @param lingerMillis 0 sends every end at once */
    SessionEnds(Vertx vertx, long lingerMillis, int maxBatch, Function<JsonArray, Future<?>> send) {
        this.vertx = vertx;
        this.lingerMillis = lingerMillis;
        this.maxBatch = Math.max(1, maxBatch);
        this.send = send;
    }

    void add(String leaseId, long seq, int messagesLeft, int recipientsLeft) {
        JsonObject end = new JsonObject().put("leaseId", leaseId).put("seq", seq).put("messagesLeft", messagesLeft)
                .put("recipientsLeft", recipientsLeft);
        JsonArray full = null;
        synchronized (this) {
            pending.add(end);
            if (pending.size() >= maxBatch || lingerMillis <= 0) {
                full = take();
            } else if (!scheduled) {
                scheduled = true;
                vertx.setTimer(lingerMillis, id -> flush());
            }
        }
        if (full != null) {
            send.apply(full);
        }
    }

    /** Sends what is pending now (the linger ended, or the service stops); completes when the ledger answered. */
    Future<?> flush() {
        JsonArray batch;
        synchronized (this) {
            scheduled = false;
            batch = take();
        }
        return batch.isEmpty() ? Future.succeededFuture() : send.apply(batch);
    }

    private JsonArray take() {
        JsonArray batch = pending;
        pending = new JsonArray();
        return batch;
    }
}
