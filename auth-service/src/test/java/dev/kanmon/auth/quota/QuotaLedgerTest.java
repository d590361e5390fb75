package dev.kanmon.auth.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Throttling decisions taken by the real PostgreSQL. */
@QuarkusTest
class QuotaLedgerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    QuotaLedger ledger;

    @Inject
    QuotaDirectory directory;

    @Inject
    Pool pool;

    private static String user() {
        return "quota-test-" + UUID.randomUUID();
    }

    private void limits(String user, Integer perDay, Integer rcptPerDay, Integer sessions) {
        // minute/hour limits generous so that a window boundary during the test cannot change the outcome
        directory.saveSubscriber(user, new SubscriberLimits("default", 1000, 1000, perDay, 50, rcptPerDay, sessions))
                .await().atMost(WAIT);
    }

    @Test
    void messagesBeyondTheDailyLimitAreRefusedWith450() {
        String user = user();
        limits(user, 3, 100, 5);
        List<QuotaDecision> decisions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            decisions.add(ledger.consume(new ConsumeRequest(user, 1, 0)).await().atMost(WAIT));
        }
        assertThat(decisions).extracting(QuotaDecision::allowed).containsExactly(true, true, true, false, false);
        QuotaDecision refused = decisions.get(3);
        assertThat(refused.limit()).isEqualTo("messages-per-day");
        assertThat(refused.reply().code()).isEqualTo(450);
        assertThat(refused.reply().enhanced()).isEqualTo("4.7.1");
        assertThat(refused.reply().text()).contains(user).contains("3 per day");
        assertThat(refused.recipientsPerMessage()).isEqualTo(50);

        SubscriberQuota view = directory.subscriber(user).await().atMost(WAIT);
        assertThat(view.usage()).anySatisfy(u -> {
            assertThat(u.metric()).isEqualTo("messages");
            assertThat(u.window()).isEqualTo("day");
            assertThat(u.used()).isEqualTo(3);
        });
        assertThat(directory.top("refused", Window.DAY, 1000).await().atMost(WAIT))
                .anySatisfy(u -> assertThat(u.username()).isEqualTo(user));
    }

    @Test
    void concurrentChargesNeverOvershootTheLimit() {
        String user = user();
        limits(user, 10, 100, 5);
        List<Uni<QuotaDecision>> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            all.add(ledger.consume(new ConsumeRequest(user, 1, 0)));
        }
        List<QuotaDecision> decisions = Uni.join().all(all).andCollectFailures().await().atMost(WAIT);
        assertThat(decisions.stream().filter(QuotaDecision::allowed).count()).isEqualTo(10);
    }

    @Test
    void recipientsPerDayAreCountedAtRcpt() {
        String user = user();
        limits(user, 100, 2, 5);
        assertThat(ledger.consume(new ConsumeRequest(user, 0, 1)).await().atMost(WAIT).allowed()).isTrue();
        assertThat(ledger.consume(new ConsumeRequest(user, 0, 1)).await().atMost(WAIT).allowed()).isTrue();
        QuotaDecision third = ledger.consume(new ConsumeRequest(user, 0, 1)).await().atMost(WAIT);
        assertThat(third.allowed()).isFalse();
        assertThat(third.limit()).isEqualTo("recipients-per-day");
        assertThat(third.reply().code()).isEqualTo(450);
    }

    @Test
    void suspensionAppliesToTheNextRequestAndCanBeLifted() {
        String user = user();
        limits(user, 100, 100, 5);
        assertThat(ledger.consume(new ConsumeRequest(user, 1, 0)).await().atMost(WAIT).allowed()).isTrue();

        directory.suspend(user, "credentials stolen").await().atMost(WAIT);
        QuotaDecision refused = ledger.consume(new ConsumeRequest(user, 1, 0)).await().atMost(WAIT);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.reply().code()).isEqualTo(550);
        assertThat(refused.reply().enhanced()).isEqualTo("5.7.1");
        assertThat(refused.reply().text()).contains("suspended").contains("credentials stolen");
        SessionGrant session = ledger.openSession(user, false).await().atMost(WAIT);
        assertThat(session.allowed()).isFalse();
        assertThat(session.reply().code()).isEqualTo(535);

        directory.reinstate(user).await().atMost(WAIT);
        assertThat(ledger.consume(new ConsumeRequest(user, 1, 0)).await().atMost(WAIT).allowed()).isTrue();
    }

    @Test
    void concurrentSessionsAreLeased() {
        String user = user();
        limits(user, 100, 100, 2);
        SessionGrant first = ledger.openSession(user, false).await().atMost(WAIT);
        SessionGrant second = ledger.openSession(user, false).await().atMost(WAIT);
        SessionGrant third = ledger.openSession(user, false).await().atMost(WAIT);
        assertThat(first.allowed()).isTrue();
        assertThat(second.allowed()).isTrue();
        assertThat(third.allowed()).isFalse();
        assertThat(third.reply().code()).isEqualTo(454);
        assertThat(third.reply().enhanced()).isEqualTo("4.7.0");

        ledger.closeSession(first.leaseId(), 0, 0, 0).await().atMost(WAIT);
        assertThat(ledger.openSession(user, false).await().atMost(WAIT).allowed()).isTrue();
    }

    // ---- escrow leases ------------------------------------------------------------------------------------

    private long usedToday(String user, String metric) {
        return directory.subscriber(user).await().atMost(WAIT).usage().stream()
                .filter(u -> u.metric().equals(metric) && u.window().equals("day"))
                .mapToLong(Usage::used).sum();
    }

    private QuotaDecision reserve(String user, UUID lease, long seq, int messagesLeft, int recipientsLeft,
            int messages, int recipients) {
        return ledger.reserve(new ReserveRequest(user, lease, seq, messagesLeft, recipientsLeft, messages, recipients,
                false)).await().atMost(WAIT);
    }

    /**
     * What a submission session does: AUTH (first block), MAIL (one message from the block or a new one,
     * asking again while other sessions' blocks may come back), QUIT (the rest goes back). True when the
     * message was accepted.
     */
    private Uni<Boolean> session(String user) {
        return ledger.openSession(user, true).flatMap(open -> {
            EscrowGrant first = open.escrow();
            if (first.messages() > 0) {
                return ledger.closeSession(open.leaseId(), first.seq(), first.messages() - 1, first.recipients())
                        .replaceWith(true);
            }
            return mail(user, open.leaseId(), first).flatMap(grant -> grant == null
                    ? ledger.closeSession(open.leaseId(), 0, 0, 0).replaceWith(false)
                    : ledger.closeSession(open.leaseId(), grant.seq(), grant.messages() - 1, grant.recipients())
                            .replaceWith(true));
        });
    }

    private Uni<EscrowGrant> mail(String user, UUID lease, EscrowGrant held) {
        return ledger.reserve(new ReserveRequest(user, lease, held.seq(), 0, held.recipients(), 1, 0, false))
                .flatMap(d -> {
                    if (d.allowed()) {
                        return Uni.createFrom().item(d.escrow());
                    }
                    if (d.retryMillis() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(d.retryMillis()))
                            .flatMap(v -> mail(user, lease, EscrowGrant.NONE));
                });
    }

    @Test
    void concurrentSessionsWithEscrowAllowExactlyTheLimit() {
        String user = user();
        limits(user, 10, 1000, 100);
        List<Uni<Boolean>> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            all.add(session(user));
        }
        List<Boolean> accepted = Uni.join().all(all).andCollectFailures().await().atMost(WAIT);
        assertThat(accepted.stream().filter(a -> a).count()).isEqualTo(10);
        // every unreturned unit was spent: the ledger counts exactly the accepted messages
        assertThat(usedToday(user, "messages")).isEqualTo(10);
    }

    @Test
    void blocksShrinkNearTheLimitDownToOneUnit() {
        String user = user();
        limits(user, 100, 40, 5);
        SessionGrant open = ledger.openSession(user, true).await().atMost(WAIT);
        // far from the limits: the configured block of messages; recipients: 40 left / 4
        assertThat(open.escrow().messages()).isEqualTo(10);
        assertThat(open.escrow().recipients()).isEqualTo(10);
        assertThat(open.escrow().validMillis()).isBetween(1, 5_000);
        assertThat(open.recipientsPerMessage()).isEqualTo(50);
        assertThat(usedToday(user, "messages")).as("reserved units count as used").isEqualTo(10);

        limits(user, 22, 40, 5); // the 10 reserved are spent: 12 left
        List<Integer> blocks = new ArrayList<>();
        long seq = open.escrow().seq();
        QuotaDecision d;
        while ((d = reserve(user, open.leaseId(), seq, 0, 0, 1, 0)).allowed()) {
            blocks.add(d.escrow().messages());
            seq = d.escrow().seq();
        }
        assertThat(blocks).containsExactly(3, 2, 1, 1, 1, 1, 1, 1, 1);
        assertThat(d.limit()).isEqualTo("messages-per-day");
        assertThat(d.retryMillis()).as("no other session holds a block").isZero();
        assertThat(usedToday(user, "messages")).isEqualTo(22);
    }

    @Test
    void theRestOfABlockGoesBackOnceAtTheEndOfTheSession() {
        String user = user();
        limits(user, 100, 100, 5);
        SessionGrant open = ledger.openSession(user, true).await().atMost(WAIT);
        EscrowGrant block = open.escrow();
        assertThat(block.messages()).isEqualTo(10);
        assertThat(usedToday(user, "messages")).isEqualTo(10);

        // 3 messages and 1 recipient spent
        ledger.closeSession(open.leaseId(), block.seq(), 7, block.recipients() - 1).await().atMost(WAIT);
        assertThat(usedToday(user, "messages")).isEqualTo(3);
        assertThat(usedToday(user, "recipients")).isEqualTo(1);
        // a repeated close returns nothing twice
        ledger.closeSession(open.leaseId(), block.seq(), 7, block.recipients() - 1).await().atMost(WAIT);
        assertThat(usedToday(user, "messages")).isEqualTo(3);
    }

    @Test
    void manySessionsEndInOneCallEachReturningItsOwnRest() {
        String alice = user();
        String bob = user();
        limits(alice, 100, 100, 5);
        limits(bob, 100, 100, 5);
        SessionGrant a1 = ledger.openSession(alice, true).await().atMost(WAIT);
        SessionGrant a2 = ledger.openSession(alice, true).await().atMost(WAIT);
        SessionGrant b1 = ledger.openSession(bob, true).await().atMost(WAIT);
        assertThat(usedToday(alice, "messages")).isEqualTo(20);
        assertThat(liveLeases(alice)).isEqualTo(2);

        // a1 spent 2 messages, a2 nothing, b1 5; an unknown lease is skipped; a1 listed twice returns its rest once
        ledger.closeSessions(List.of(
                new SessionEnd(b1.leaseId(), b1.escrow().seq(), 5, b1.escrow().recipients()),
                new SessionEnd(a1.leaseId(), a1.escrow().seq(), 8, a1.escrow().recipients()),
                new SessionEnd(UUID.randomUUID(), 1, 10, 20),
                new SessionEnd(a2.leaseId(), a2.escrow().seq(), 10, a2.escrow().recipients()),
                new SessionEnd(a1.leaseId(), a1.escrow().seq(), 8, a1.escrow().recipients())))
                .await().atMost(WAIT);
        assertThat(usedToday(alice, "messages")).isEqualTo(2);
        assertThat(usedToday(bob, "messages")).isEqualTo(5);
        assertThat(usedToday(alice, "recipients")).isZero();
        assertThat(liveLeases(alice)).isZero();
        assertThat(liveLeases(bob)).isZero();
    }

    private long liveLeases(String user) {
        return pool.preparedQuery("SELECT count(*) FROM quota.session_lease WHERE username = $1")
                .execute(Tuple.of(user)).await().atMost(WAIT).iterator().next().getLong(0);
    }

    @Test
    void aStaleReturnIsIgnoredAndAReturnIsCappedAtTheBlock() {
        String user = user();
        limits(user, 100, 100, 5);
        SessionGrant open = ledger.openSession(user, true).await().atMost(WAIT);
        QuotaDecision next = reserve(user, open.leaseId(), open.escrow().seq(), 0, 0, 1, 0); // first block spent
        assertThat(usedToday(user, "messages")).isEqualTo(20);
        // the first block's seq no longer names the current block: nothing goes back
        ledger.reserve(new ReserveRequest(user, open.leaseId(), open.escrow().seq(), 10, 0, 0, 0, true))
                .await().atMost(WAIT);
        assertThat(usedToday(user, "messages")).isEqualTo(20);
        // more than the block held is capped at the block
        ledger.reserve(new ReserveRequest(user, open.leaseId(), next.escrow().seq(), 50, 0, 0, 0, true))
                .await().atMost(WAIT);
        assertThat(usedToday(user, "messages")).isEqualTo(10);
    }

    @Test
    void aRefusalWaitsForUnitsOtherSessionsMayReturn() {
        String user = user();
        limits(user, 4, 100, 5);
        SessionGrant holder = ledger.openSession(user, true).await().atMost(WAIT);
        assertThat(holder.escrow().messages()).isEqualTo(1); // 4 left: 4 / 4
        SessionGrant other = ledger.openSession(user, true).await().atMost(WAIT);
        assertThat(other.escrow().messages()).isZero(); // 3 left: nothing to spare before a MAIL needs it
        int spent = 0;
        long seq = other.escrow().seq();
        QuotaDecision refused;
        while ((refused = reserve(user, other.leaseId(), seq, 0, 0, 1, 0)).allowed()) {
            spent++;
            seq = refused.escrow().seq();
        }
        assertThat(spent).isEqualTo(3);
        assertThat(refused.retryMillis()).as("the holder's unit may come back").isBetween(1, 100);
        assertThat(refused.reply().code()).isEqualTo(450);

        ledger.closeSession(holder.leaseId(), holder.escrow().seq(), 1, 0).await().atMost(WAIT); // unused
        QuotaDecision after = reserve(user, other.leaseId(), 0, 0, 0, 1, 0);
        assertThat(after.allowed()).isTrue();
        QuotaDecision finalRefusal = reserve(user, other.leaseId(), after.escrow().seq(), 0, 0, 1, 0);
        assertThat(finalRefusal.allowed()).isFalse();
        assertThat(finalRefusal.retryMillis()).isZero();
    }

    @Test
    void aSuspensionRefusesTheNextBlockAndTakesBackTheRest() {
        String user = user();
        limits(user, 100, 100, 5);
        SessionGrant open = ledger.openSession(user, true).await().atMost(WAIT);
        directory.suspend(user, "phished").await().atMost(WAIT);
        QuotaDecision refused = reserve(user, open.leaseId(), open.escrow().seq(), 10, open.escrow().recipients(), 1, 0);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.reply().code()).isEqualTo(550);
        assertThat(refused.reply().text()).contains("phished");
        assertThat(usedToday(user, "messages")).isZero();
    }

    @Test
    void aRestGoesBackToTheWindowsItWasTakenFromAfterTheMinuteRolled() {
        // a minute moved back out of the hour would leave the hour row behind: not in the hour's first minute
        Assumptions.assumeTrue(LocalTime.now(ZoneOffset.UTC).getMinute() > 0);
        String user = user();
        limits(user, 100, 100, 5);
        SessionGrant open = ledger.openSession(user, true).await().atMost(WAIT);
        // pretend the block was reserved a minute ago: its minute row and the lease move back 60 s
        pool.preparedQuery("UPDATE quota.counter SET window_start = window_start - interval '60 seconds' "
                        + "WHERE username = $1 AND window_seconds = 60").execute(Tuple.of(user)).await().atMost(WAIT);
        pool.preparedQuery("UPDATE quota.session_lease SET escrow_at = escrow_at - interval '60 seconds' "
                        + "WHERE lease_id = $1").execute(Tuple.of(open.leaseId())).await().atMost(WAIT);

        QuotaDecision next = reserve(user, open.leaseId(), open.escrow().seq(), 6, 0, 1, 0); // 4 spent last minute
        assertThat(next.allowed()).isTrue();
        Map<String, Long> minute = new HashMap<>();
        pool.preparedQuery("SELECT window_start < quota.window_start(now(), 60) AS old, used FROM quota.counter "
                        + "WHERE username = $1 AND metric = 'messages' AND window_seconds = 60")
                .execute(Tuple.of(user)).await().atMost(WAIT)
                .forEach(r -> minute.put(r.getBoolean("old") ? "previous" : "current", r.getLong("used")));
        assertThat(minute).containsEntry("previous", 4L).containsEntry("current", 10L);
        assertThat(usedToday(user, "messages")).isEqualTo(14);
    }

    @Test
    void aLimitChangedByAnotherReplicaReachesTheCacheThroughNotify() {
        String user = user();
        limits(user, 100, 100, 5);
        assertThat(ledger.consume(new ConsumeRequest(user, 1, 0)).await().atMost(WAIT).allowed()).isTrue();
        // written behind this replica's back, as another auth-service replica or psql would
        pool.preparedQuery("UPDATE quota.subscriber SET messages_per_day = 1 WHERE username = $1")
                .execute(Tuple.of(user)).await().atMost(WAIT);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            QuotaDecision d = ledger.consume(new ConsumeRequest(user, 1, 0)).await().atMost(WAIT);
            assertThat(d.limit()).isEqualTo("messages-per-day");
        });
    }
}
