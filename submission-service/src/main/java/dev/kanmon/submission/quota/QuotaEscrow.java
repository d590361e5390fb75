package dev.kanmon.submission.quota;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One authenticated session's escrow: a block of its user's quota that the ledger has already counted as used,
 * spent here in memory at MAIL (one message) and RCPT (one recipient). The ledger is asked again only when the
 * block is spent or expired, and each such call hands back the unspent rest; so does {@link #close()}, and an
 * expiry timer while the session idles, so that parallel sessions of the user are not starved (docs/throttling.md).
 * Used on the session's event loop only; calls to the ledger are made one after another so that a rest is never
 * returned twice or lost in a race.
 */
public final class QuotaEscrow {

    /** The ledger as the escrow sees it: {@link QuotaClient} over HTTP, a fake in tests. */
    public interface Ledger {

        /** Returns the rest and reserves a new block; fails when the ledger cannot answer. */
        Future<QuotaVerdict> reserve(Reservation reservation);

        /** Ends the session lease and returns the rest. Best effort. */
        void close(String leaseId, long seq, int messagesLeft, int recipientsLeft);

        /** The verdict to act on when the ledger could not answer ({@code on-unavailable}). */
        QuotaVerdict unavailable(Throwable cause);

        /** Runs the action on the session's event loop after the delay; returns an id for {@link #cancel}. */
        long schedule(long delayMillis, Runnable action);

        void cancel(long timerId);
    }

    /**
     * One call to {@code POST /internal/v1/quota/reserve}.
     *
     * @param leaseId        the session lease, null when the session was admitted without one (ledger down, allow)
     * @param seq            the current block, whose rest goes back
     * @param messagesLeft   its unspent messages
     * @param recipientsLeft its unspent recipients
     * @param messages       messages needed now
     * @param recipients     recipients needed now
     * @param returnOnly     hand the rest back without reserving
     */
    public record Reservation(String username, String leaseId, long seq, int messagesLeft, int recipientsLeft,
            int messages, int recipients, boolean returnOnly) {
    }

    private final Ledger ledger;
    private final LongSupplier clock;
    private final long maxWaitNanos;
    private final String username;
    private final String leaseId;

    private long seq;
    private int messages;
    private int recipients;
    private long validUntil;
    private int recipientsPerMessage;
    /** The last ledger call; the next one starts when it has ended. */
    private Future<?> last = Future.succeededFuture();
    private long expiryTimer = -1;
    private boolean closed;

    /** An escrow starting with the block the ledger gave at AUTH ({@code opened}). */
    public QuotaEscrow(Ledger ledger, LongSupplier clock, long maxWaitNanos, String username, QuotaVerdict opened) {
        this.ledger = ledger;
        this.clock = clock;
        this.maxWaitNanos = maxWaitNanos;
        this.username = username;
        this.leaseId = opened.leaseId();
        take(opened, 0, 0);
    }

    /** At MAIL FROM: one message, from the block if it can, else from the ledger. */
    public Future<QuotaVerdict> message() {
        if (messages > 0 && valid()) {
            messages--;
            return Future.succeededFuture(allowed());
        }
        return refill(1, 0);
    }

    /** At RCPT TO: one recipient, from the block if it can, else from the ledger. */
    public Future<QuotaVerdict> recipient() {
        if (recipients > 0 && valid()) {
            recipients--;
            return Future.succeededFuture(allowed());
        }
        return refill(0, 1);
    }

    /** The end of the session: the lease is released and the rest goes back once earlier calls have ended. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        cancelExpiry();
        last.onComplete(ar -> ledger.close(leaseId, seq, messages, recipients));
    }

    private Future<QuotaVerdict> refill(int needMessages, int needRecipients) {
        long start = clock.getAsLong();
        return serialised(() -> ask(needMessages, needRecipients, start));
    }

    private Future<QuotaVerdict> ask(int needMessages, int needRecipients, long start) {
        long sentAt = clock.getAsLong();
        Reservation r = new Reservation(username, leaseId, seq, messages, recipients, needMessages, needRecipients,
                false);
        return ledger.reserve(r).transform(ar -> {
            if (ar.failed()) {
                // The rest stays on record (same seq) for the next call that gets through, but is not spent: the
                // ledger may have taken it back before the answer was lost.
                validUntil = sentAt;
                return Future.succeededFuture(ledger.unavailable(ar.cause()));
            }
            QuotaVerdict v = ar.result();
            if (v.allowed()) {
                take(v, needMessages, needRecipients);
                return Future.succeededFuture(v);
            }
            // refused: the ledger took the rest back and reserved nothing
            messages = 0;
            recipients = 0;
            recipientsPerMessage = v.recipientsPerMessage();
            if (v.retryMillis() > 0 && !closed && clock.getAsLong() - start < maxWaitNanos) {
                Promise<QuotaVerdict> retried = Promise.promise();
                ledger.schedule(v.retryMillis(), () -> {
                    if (closed) {
                        retried.complete(v); // the client is gone: nobody waits for the answer
                    } else {
                        ask(needMessages, needRecipients, start).onComplete(retried);
                    }
                });
                return retried.future();
            }
            return Future.succeededFuture(v);
        });
    }

    /** Takes a new block from which the units needed now are spent at once. */
    private void take(QuotaVerdict v, int needMessages, int needRecipients) {
        QuotaVerdict.Block block = v.block();
        seq = block.seq();
        messages = Math.max(0, block.messages() - needMessages);
        recipients = Math.max(0, block.recipients() - needRecipients);
        validUntil = block.validUntil();
        recipientsPerMessage = v.recipientsPerMessage();
        cancelExpiry();
        if ((messages > 0 || recipients > 0) && leaseId != null && !closed) {
            long delay = TimeUnit.NANOSECONDS.toMillis(validUntil - clock.getAsLong()) + 1;
            expiryTimer = ledger.schedule(Math.max(1, delay), this::expired);
        }
    }

    /** The block expired unspent while the session idles: give the rest back now rather than at the next MAIL. */
    private void expired() {
        expiryTimer = -1;
        if (closed || valid() || (messages == 0 && recipients == 0)) {
            return;
        }
        serialised(() -> {
            if (closed || valid() || (messages == 0 && recipients == 0)) {
                return Future.succeededFuture();
            }
            return ledger.reserve(new Reservation(username, leaseId, seq, messages, recipients, 0, 0, true))
                    .onSuccess(v -> {
                        messages = 0;
                        recipients = 0;
                    });
        });
    }

    private <T> Future<T> serialised(Supplier<Future<T>> call) {
        Future<T> next = last.transform(ar -> call.get());
        last = next;
        return next;
    }

    private boolean valid() {
        return clock.getAsLong() - validUntil < 0;
    }

    private QuotaVerdict allowed() {
        return new QuotaVerdict(true, null, recipientsPerMessage, leaseId, QuotaVerdict.Block.NONE, 0);
    }

    private void cancelExpiry() {
        if (expiryTimer >= 0) {
            ledger.cancel(expiryTimer);
            expiryTimer = -1;
        }
    }
}
