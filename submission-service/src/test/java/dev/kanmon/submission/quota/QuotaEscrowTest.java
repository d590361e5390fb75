package dev.kanmon.submission.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.core.smtp.SmtpReply;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The session side of escrow leases against a scripted ledger and a hand-driven clock: no sockets, no Vert.x. */
class QuotaEscrowTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final SmtpReply DAILY = SmtpReply.of(450, "4.7.1", "Message rate limit exceeded for bob: 3 per day; try again later");
    private static final SmtpReply DOWN = SmtpReply.of(451, "4.3.0", "Quota service unavailable; try again later");

    /** Answers reservations from a script, in order; records every call; runs timers when the clock passes them. */
    private static final class FakeLedger implements QuotaEscrow.Ledger {

        long now = 1_000 * MS;
        final List<QuotaEscrow.Reservation> calls = new ArrayList<>();
        final Deque<Object> answers = new ArrayDeque<>();
        final List<String> closes = new ArrayList<>();
        final TreeMap<Long, Runnable> timers = new TreeMap<>();
        long nextTimer;
        Promise<QuotaVerdict> held;

        @Override
        public Future<QuotaVerdict> reserve(QuotaEscrow.Reservation reservation) {
            calls.add(reservation);
            Object answer = answers.poll();
            if (answer == null) {
                held = Promise.promise();
                return held.future();
            }
            return answer instanceof Throwable t ? Future.failedFuture(t) : Future.succeededFuture((QuotaVerdict) answer);
        }

        @Override
        public void close(String leaseId, long seq, int messagesLeft, int recipientsLeft) {
            closes.add(leaseId + " seq=" + seq + " messages=" + messagesLeft + " recipients=" + recipientsLeft);
        }

        @Override
        public QuotaVerdict unavailable(Throwable cause) {
            return new QuotaVerdict(false, DOWN, 0, null, QuotaVerdict.Block.NONE, 0);
        }

        @Override
        public long schedule(long delayMillis, Runnable action) {
            long at = now + delayMillis * MS + nextTimer++; // distinct keys, same order
            timers.put(at, action);
            return at;
        }

        @Override
        public void cancel(long timerId) {
            timers.remove(timerId);
        }

        void advance(long millis) {
            long until = now + millis * MS;
            while (!timers.isEmpty() && timers.firstKey() <= until) {
                var timer = timers.pollFirstEntry();
                now = Math.max(now, timer.getKey());
                timer.getValue().run();
            }
            now = until;
        }

        QuotaVerdict grant(long seq, int messages, int recipients, long validMillis) {
            return new QuotaVerdict(true, null, 50, "lease-1",
                    new QuotaVerdict.Block(seq, messages, recipients, now + validMillis * MS), 0);
        }

        QuotaVerdict refuse(long retryMillis) {
            return new QuotaVerdict(false, DAILY, 50, null, QuotaVerdict.Block.NONE, retryMillis);
        }
    }

    private final FakeLedger ledger = new FakeLedger();

    private QuotaEscrow opened(int messages, int recipients) {
        return new QuotaEscrow(ledger, () -> ledger.now, 2_000 * MS, "bob", ledger.grant(1, messages, recipients, 5_000));
    }

    private static QuotaVerdict now(Future<QuotaVerdict> f) {
        assertThat(f.isComplete()).as("answered without waiting").isTrue();
        return f.result();
    }

    @Test
    void theBlockFromAuthIsSpentWithoutAskingTheLedger() {
        QuotaEscrow escrow = opened(3, 5);
        for (int i = 0; i < 3; i++) {
            QuotaVerdict v = now(escrow.message());
            assertThat(v.allowed()).isTrue();
            assertThat(v.recipientsPerMessage()).isEqualTo(50);
            assertThat(now(escrow.recipient()).allowed()).isTrue();
        }
        assertThat(ledger.calls).isEmpty();

        escrow.close();
        assertThat(ledger.closes).containsExactly("lease-1 seq=1 messages=0 recipients=2");
    }

    @Test
    void aSpentBlockIsRefilledInOneCallThatReturnsTheOtherRest() {
        QuotaEscrow escrow = opened(1, 5);
        now(escrow.message());
        ledger.answers.add(ledger.grant(2, 4, 20, 5_000));
        assertThat(now(escrow.message()).allowed()).isTrue();
        assertThat(ledger.calls).containsExactly(new QuotaEscrow.Reservation("bob", "lease-1", 1, 0, 5, 1, 0, false));

        escrow.close(); // 4 reserved, 1 spent by the refilling MAIL
        assertThat(ledger.closes).containsExactly("lease-1 seq=2 messages=3 recipients=20");
    }

    @Test
    void anExpiredBlockIsNotSpentAndGoesBackWhileTheSessionIdles() {
        QuotaEscrow escrow = opened(5, 5);
        now(escrow.message());
        ledger.answers.add(ledger.grant(1, 0, 0, 0)); // the return-only call's answer
        ledger.advance(5_001);
        assertThat(ledger.calls).containsExactly(new QuotaEscrow.Reservation("bob", "lease-1", 1, 4, 5, 0, 0, true));

        ledger.answers.add(ledger.grant(2, 5, 5, 5_000));
        assertThat(now(escrow.message()).allowed()).isTrue();
        assertThat(ledger.calls.get(1)).isEqualTo(new QuotaEscrow.Reservation("bob", "lease-1", 1, 0, 0, 1, 0, false));
    }

    @Test
    void anExpiredBlockIsReturnedByTheNextMailWhenNoTimerRanFirst() {
        QuotaEscrow escrow = opened(5, 5);
        ledger.now += 6_000 * MS; // the clock passes the validity, the timer has not fired yet
        ledger.answers.add(ledger.grant(2, 5, 5, 5_000));
        assertThat(now(escrow.message()).allowed()).isTrue();
        assertThat(ledger.calls).containsExactly(new QuotaEscrow.Reservation("bob", "lease-1", 1, 5, 5, 1, 0, false));
        ledger.advance(0);
        assertThat(ledger.calls).as("the stale timer found nothing to return").hasSize(1);
    }

    @Test
    void aRefusalIsAnsweredAndTheSessionAsksAgainNextTime() {
        QuotaEscrow escrow = opened(0, 0);
        ledger.answers.add(ledger.refuse(0));
        QuotaVerdict v = now(escrow.message());
        assertThat(v.allowed()).isFalse();
        assertThat(v.reply()).isEqualTo(DAILY);

        ledger.answers.add(ledger.refuse(0));
        assertThat(now(escrow.message()).allowed()).isFalse();
        assertThat(ledger.calls).hasSize(2);
    }

    @Test
    void whileOtherSessionsHoldUnitsTheRefusalWaitsForThem() {
        QuotaEscrow escrow = opened(0, 0);
        ledger.answers.add(ledger.refuse(100));
        Future<QuotaVerdict> mail = escrow.message();
        assertThat(mail.isComplete()).isFalse();

        ledger.answers.add(ledger.grant(2, 1, 0, 5_000)); // another session returned a unit meanwhile
        ledger.advance(100);
        assertThat(mail.isComplete()).isTrue();
        assertThat(mail.result().allowed()).isTrue();
        assertThat(ledger.calls).hasSize(2);
    }

    @Test
    void theWaitIsBounded() {
        QuotaEscrow escrow = opened(0, 0);
        for (int i = 0; i < 100; i++) {
            ledger.answers.add(ledger.refuse(500));
        }
        Future<QuotaVerdict> mail = escrow.message();
        ledger.advance(3_000);
        assertThat(mail.isComplete()).isTrue();
        assertThat(mail.result().reply()).isEqualTo(DAILY);
        assertThat(ledger.calls).hasSize(5); // at 0, 500, 1000, 1500, 2000 ms: 2 s is the bound
    }

    @Test
    void anUnreachableLedgerGivesTheFallbackAndTheRestGoesBackLater() {
        QuotaEscrow escrow = opened(1, 3);
        now(escrow.message());
        ledger.answers.add(new IllegalStateException("connection refused"));
        assertThat(now(escrow.message()).reply()).isEqualTo(DOWN);
        // the recipients' rest is kept on record but no longer spent: the ledger may have taken it back
        ledger.answers.add(new IllegalStateException("connection refused"));
        assertThat(now(escrow.recipient()).reply()).isEqualTo(DOWN);
        assertThat(ledger.calls.get(1)).isEqualTo(new QuotaEscrow.Reservation("bob", "lease-1", 1, 0, 3, 0, 1, false));

        escrow.close();
        assertThat(ledger.closes).containsExactly("lease-1 seq=1 messages=0 recipients=3");
    }

    @Test
    void closeWaitsForACallInFlightSoTheRestIsReturnedOnce() {
        QuotaEscrow escrow = opened(0, 0);
        Future<QuotaVerdict> mail = escrow.message(); // no scripted answer: in flight
        escrow.close();
        assertThat(ledger.closes).isEmpty();

        ledger.held.complete(ledger.grant(2, 4, 0, 5_000));
        assertThat(mail.result().allowed()).isTrue();
        assertThat(ledger.closes).containsExactly("lease-1 seq=2 messages=3 recipients=0");
        assertThat(ledger.timers).as("no expiry return after close").isEmpty();
    }

    @Test
    void aSessionClosedWhileWaitingStopsAsking() {
        QuotaEscrow escrow = opened(0, 0);
        ledger.answers.add(ledger.refuse(100));
        Future<QuotaVerdict> mail = escrow.message();
        escrow.close();
        ledger.advance(100);
        assertThat(mail.result().allowed()).isFalse();
        assertThat(ledger.calls).hasSize(1);
        assertThat(ledger.closes).containsExactly("lease-1 seq=1 messages=0 recipients=0");
    }
}
