package dev.kanmon.auth.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Throttling decisions taken by the real PostgreSQL. */
@QuarkusTest
class QuotaLedgerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    QuotaLedger ledger;

    @Inject
    QuotaDirectory directory;

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
        SessionGrant session = ledger.openSession(user).await().atMost(WAIT);
        assertThat(session.allowed()).isFalse();
        assertThat(session.reply().code()).isEqualTo(535);

        directory.reinstate(user).await().atMost(WAIT);
        assertThat(ledger.consume(new ConsumeRequest(user, 1, 0)).await().atMost(WAIT).allowed()).isTrue();
    }

    @Test
    void concurrentSessionsAreLeased() {
        String user = user();
        limits(user, 100, 100, 2);
        SessionGrant first = ledger.openSession(user).await().atMost(WAIT);
        SessionGrant second = ledger.openSession(user).await().atMost(WAIT);
        SessionGrant third = ledger.openSession(user).await().atMost(WAIT);
        assertThat(first.allowed()).isTrue();
        assertThat(second.allowed()).isTrue();
        assertThat(third.allowed()).isFalse();
        assertThat(third.reply().code()).isEqualTo(454);
        assertThat(third.reply().enhanced()).isEqualTo("4.7.0");

        ledger.closeSession(first.leaseId()).await().atMost(WAIT);
        assertThat(ledger.openSession(user).await().atMost(WAIT).allowed()).isTrue();
    }
}
