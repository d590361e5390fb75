package dev.kanmon.delivery.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.core.queue.DeliveryRecipient;
import dev.kanmon.core.queue.DeliveryRequest;
import dev.kanmon.core.queue.DeliveryResult;
import dev.kanmon.core.queue.EnvelopeRecipient;
import dev.kanmon.core.queue.RecipientResult;
import dev.kanmon.core.queue.RecipientStatus;
import dev.kanmon.delivery.config.DeliveryConfig;
import dev.kanmon.delivery.limits.DestinationLimits;
import dev.kanmon.delivery.limits.RateLimiter;
import dev.kanmon.delivery.metrics.DeliveryMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The scheduler on a hand-driven clock: deliveries are promises the test completes, timers fire when the test
 * advances the clock. Domains: {@code rated.test} 6 messages a minute (burst 6, then one every 10 s),
 * {@code narrow.test} one connection, everything else 10 connections and no rate.
 */
class FairSchedulerTest {

    /** Deliveries started and not yet finished, in start order, and the start order of all. */
    final Map<String, Promise<DeliveryResult>> running = new LinkedHashMap<>();
    final List<String> started = new ArrayList<>();
    final Map<String, DeliveryResult> deferred = new HashMap<>();
    final Map<String, DeliveryResult> results = new HashMap<>();
    final Map<String, String> senders = new HashMap<>();

    record Timer(long due, long seq, Runnable task) {
    }

    final PriorityQueue<Timer> timers = new PriorityQueue<>(Comparator.comparingLong(Timer::due).thenComparingLong(Timer::seq));
    long now = 1_000_000_000_000L;
    long timerSeq;

    final DeliveryAttempts attempts = new DeliveryAttempts() {
        @Override
        public Future<DeliveryResult> deliver(DeliveryRequest request, byte[] message) {
            Promise<DeliveryResult> p = Promise.promise();
            running.put(request.deliveryId(), p);
            started.add(request.deliveryId());
            return p.future();
        }

        @Override
        public DeliveryResult deferred(DeliveryRequest request, String enhancedCode, String text) {
            DeliveryResult r = result(request, RecipientStatus.DEFERRED, enhancedCode, text);
            deferred.put(request.deliveryId(), r);
            return r;
        }
    };

    static DeliveryResult result(DeliveryRequest request, RecipientStatus status, String enhanced, String text) {
        List<RecipientResult> rcpts = request.recipients().stream()
                .map(r -> new RecipientResult(r.recipientId(), r.recipient().address(), status, 0, enhanced, text, null))
                .toList();
        return new DeliveryResult(request.deliveryId(), request.queueId(), request.domain(), request.attempt(), rcpts,
                Instant.EPOCH);
    }

    static DeliveryConfig.DomainLimitsOverride override(Integer connections, Integer rate) {
        return new DeliveryConfig.DomainLimitsOverride() {
            @Override
            public Optional<Integer> connections() {
                return Optional.ofNullable(connections);
            }

            @Override
            public Optional<Integer> rateMessages() {
                return Optional.ofNullable(rate);
            }

            @Override
            public Optional<Duration> ratePeriod() {
                return Optional.empty();
            }
        };
    }

    final DestinationLimits limits = new DestinationLimits(new DestinationLimits.Limits(10, 0, Duration.ofMinutes(1)),
            Map.of("rated.test", override(null, 6), "narrow.test", override(1, null)));
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    FairScheduler scheduler(int concurrency, int perDestination) {
        return scheduler(concurrency, perDestination, Long.MAX_VALUE);
    }

    FairScheduler scheduler(int concurrency, int perDestination, long maxWaitingBytes) {
        return new FairScheduler(attempts, limits, new RateLimiter(limits),
                (ms, task) -> timers.add(new Timer(now + TimeUnit.MILLISECONDS.toNanos(ms), timerSeq++, task)),
                () -> now, new DeliveryMetrics(registry, Set.of()), concurrency, perDestination, Duration.ofMinutes(10),
                maxWaitingBytes);
    }

    static DeliveryRequest request(String id, String from, String domain) {
        return new DeliveryRequest(id, "q-" + id, from, domain,
                List.of(new DeliveryRecipient(1, EnvelopeRecipient.of("rcpt@" + domain))), null, false, null, null, 1, 10);
    }

    static final TopicPartition P0 = new TopicPartition("outbound", 0);
    static final TopicPartition P1 = new TopicPartition("outbound", 1);
    final List<String> withdrawn = new ArrayList<>();

    void submit(FairScheduler s, String id, String from, String domain) {
        submit(s, id, from, domain, P0);
    }

    void submit(FairScheduler s, String id, String from, String domain, TopicPartition partition) {
        submit(s, id, from, domain, partition, 0);
    }

    void submit(FairScheduler s, String id, String from, String domain, TopicPartition partition, int size) {
        senders.put(id, from);
        s.submit(request(id, from, domain), new byte[size], partition)
                .onSuccess(r -> results.put(id, r))
                .onFailure(e -> {
                    assertThat(e).isInstanceOf(FairScheduler.Withdrawn.class);
                    withdrawn.add(id);
                });
    }

    /** Finishes the oldest running delivery as delivered. */
    String finishOldest() {
        String id = running.keySet().iterator().next();
        Promise<DeliveryResult> p = running.remove(id);
        p.complete(result(request(id, "x", "x"), RecipientStatus.DELIVERED, "2.0.0", "ok"));
        return id;
    }

    /** Moves the clock forward, firing the timers that fall due on the way. */
    void advance(Duration d) {
        long until = now + d.toNanos();
        while (!timers.isEmpty() && timers.peek().due() <= until) {
            Timer t = timers.poll();
            now = Math.max(now, t.due());
            t.task().run();
        }
        now = until;
    }

    double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    @Test
    void servesTheSendersOfADestinationInTurn() {
        FairScheduler s = scheduler(1, 100);
        for (int i = 1; i <= 10; i++) {
            submit(s, "F" + i, "Flood@example.test", "dest.test");
        }
        submit(s, "A1", "alice@example.test", "dest.test");
        submit(s, "A2", "alice@example.test", "dest.test");
        while (!running.isEmpty()) {
            finishOldest();
        }
        // F1 started on arrival; then the flood (F2...) and alice take turns; the sender key ignores case
        assertThat(started).containsExactly("F1", "F2", "A1", "F3", "A2", "F4", "F5", "F6", "F7", "F8", "F9", "F10");
        assertThat(results).hasSize(12).allSatisfy((id, r) ->
                assertThat(r.recipients().get(0).status()).isEqualTo(RecipientStatus.DELIVERED));
    }

    @Test
    void aRecordWaitingForItsRateHoldsNoConcurrencySlot() {
        FairScheduler s = scheduler(1, 100);
        for (int i = 1; i <= 8; i++) {
            submit(s, "R" + i, "flood@example.test", "rated.test");
        }
        // the burst allowance (6) passes one at a time through the single slot
        for (int i = 1; i <= 6; i++) {
            assertThat(finishOldest()).isEqualTo("R" + i);
        }
        // R7 and R8 wait for the rate (10 s apart) without a slot: other mail starts at once
        assertThat(running).isEmpty();
        assertThat(gauge("kanmon.delivery.waiting")).isEqualTo(2);
        assertThat(gauge("kanmon.delivery.active")).isZero();
        submit(s, "O1", "bob@example.test", "other.test");
        assertThat(running).containsOnlyKeys("O1");
        assertThat(finishOldest()).isEqualTo("O1");
        advance(Duration.ofSeconds(10));
        assertThat(running).containsOnlyKeys("R7");
        finishOldest();
        advance(Duration.ofSeconds(9));
        assertThat(running).isEmpty();
        advance(Duration.ofSeconds(1));
        assertThat(running).containsOnlyKeys("R8");
        finishOldest();
        assertThat(results).hasSize(9);
        assertThat(deferred).isEmpty();
    }

    @Test
    void aDestinationAtItsConnectionLimitLeavesTheOtherSlotsToOthers() {
        FairScheduler s = scheduler(3, 100);
        submit(s, "N1", "flood@example.test", "narrow.test");
        submit(s, "N2", "flood@example.test", "narrow.test");
        submit(s, "N3", "alice@example.test", "narrow.test");
        submit(s, "O1", "bob@example.test", "other.test");
        submit(s, "O2", "bob@example.test", "other.test");
        // one connection for narrow.test: N2 and N3 wait without a slot, the two other slots go to other.test
        assertThat(running).containsOnlyKeys("N1", "O1", "O2");
        assertThat(gauge("kanmon.delivery.waiting")).isEqualTo(2);
        submit(s, "O3", "bob@example.test", "other.test");
        assertThat(running).containsOnlyKeys("N1", "O1", "O2");
        while (!running.isEmpty()) {
            finishOldest();
            assertThat(running.keySet().stream().filter(id -> id.startsWith("N"))).hasSizeLessThanOrEqualTo(1);
        }
        // destinations take turns for a freed slot: other.test's turn came before narrow.test's connection freed up
        assertThat(started).containsExactly("N1", "O1", "O2", "O3", "N2", "N3");
    }

    @Test
    void aFullBacklogHandsBackTheFloodNotTheFew() {
        FairScheduler s = scheduler(1, 4);
        for (int i = 1; i <= 6; i++) {
            submit(s, "F" + i, "flood@example.test", "narrow.test");
        }
        // F1 is delivering; F2..F5 fill the backlog of 4; F6 is handed back at once
        assertThat(running).containsOnlyKeys("F1");
        assertThat(deferred).containsOnlyKeys("F6");
        submit(s, "A1", "alice@example.test", "narrow.test");
        submit(s, "A2", "alice@example.test", "narrow.test");
        // alice's records push out the flood's newest, never her own while she has fewer waiting
        assertThat(deferred).containsOnlyKeys("F6", "F5", "F4");
        assertThat(results.get("F4").recipients()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(RecipientStatus.DEFERRED);
            assertThat(r.enhancedCode()).isEqualTo("4.4.5");
        });
        assertThat(registry.get("kanmon.delivery.backlog.deferred").counter().count()).isEqualTo(3);
        // once alice has more waiting than the flood, her newest is the one handed back
        submit(s, "A3", "alice@example.test", "narrow.test");
        assertThat(deferred).containsKey("A3");
        while (!running.isEmpty()) {
            finishOldest();
        }
        assertThat(started).containsExactly("F1", "F2", "A1", "F3", "A2");
        assertThat(results).hasSize(9);
    }

    @Test
    void overTheByteBudgetTheBiggestQueueIsHandedBackButASendersOnlyRecordStays() {
        FairScheduler s = scheduler(1, 100, 1000);
        submit(s, "X0", "x@example.test", "narrow.test", P0, 10); // delivering: narrow.test's one connection is taken
        for (int i = 1; i <= 4; i++) {
            submit(s, "F" + i, "flood@example.test", "narrow.test", P0, 300);
        }
        // 1200 bytes waiting: the flood's newest goes back
        assertThat(deferred).containsOnlyKeys("F4");
        assertThat(gauge("kanmon.delivery.waiting.bytes")).isEqualTo(900);
        // another domain's first record pushes out as much of the flood as needed, not itself
        submit(s, "A1", "alice@example.test", "rated.test", P0, 500);
        assertThat(running).containsOnlyKeys("X0");
        assertThat(deferred).containsOnlyKeys("F4", "F3", "F2");
        assertThat(gauge("kanmon.delivery.waiting.bytes")).isEqualTo(800);
        // a sender's only record for a destination is kept over the budget: a large message is never handed back
        // for its size alone
        submit(s, "B1", "bob@example.test", "other.test", P0, 5000);
        submit(s, "C1", "carol@example.test", "dest.test", P0, 5000);
        assertThat(deferred).containsOnlyKeys("F4", "F3", "F2");
        assertThat(registry.get("kanmon.delivery.backlog.deferred").counter().count()).isEqualTo(3);
        while (!running.isEmpty()) {
            finishOldest();
        }
        assertThat(started).containsExactly("X0", "F1", "A1", "B1", "C1");
        assertThat(gauge("kanmon.delivery.waiting.bytes")).isZero();
    }

    @Test
    void aRevokedPartitionsWaitingRecordsAreWithdrawnWithoutAResult() {
        FairScheduler s = scheduler(1, 100);
        submit(s, "A1", "alice@example.test", "narrow.test", P1);
        submit(s, "A2", "alice@example.test", "narrow.test", P1);
        submit(s, "B1", "bob@example.test", "narrow.test", P0);
        submit(s, "A3", "alice@example.test", "other.test", P1);
        assertThat(running).containsOnlyKeys("A1");
        s.withdraw(List.of(P1));
        // the waiting A2 and A3 are gone without a result; A1, already under way, finishes and reports
        assertThat(withdrawn).containsExactlyInAnyOrder("A2", "A3");
        assertThat(gauge("kanmon.delivery.waiting")).isEqualTo(1);
        while (!running.isEmpty()) {
            finishOldest();
        }
        assertThat(started).containsExactly("A1", "B1");
        assertThat(results).containsOnlyKeys("A1", "B1");
        assertThat(gauge("kanmon.delivery.waiting")).isZero();
    }

    @Test
    void aRateLimitedDestinationHoldsNoMoreThanItsRateLetsOutWithinMaxHold() {
        FairScheduler s = scheduler(64, 100);
        assertThat(s.backlog("rated.test")).isEqualTo(60); // 6 a minute for 10 minutes
        assertThat(s.backlog("other.test")).isEqualTo(100);
    }

    @Test
    void nobodyStarvesUnderMixedLoad() {
        FairScheduler s = scheduler(2, 10);
        int n = 0;
        for (int round = 0; round < 40; round++) {
            for (String domain : List.of("rated.test", "narrow.test", "other.test")) {
                submit(s, "m" + n++, "flood@example.test", domain);
                if (round % 10 == 0) {
                    submit(s, "m" + n++, "user" + round + "@example.test", domain);
                }
            }
            if (!running.isEmpty()) {
                finishOldest();
            }
            advance(Duration.ofSeconds(1));
        }
        for (int i = 0; i < 10_000 && (!running.isEmpty() || !timers.isEmpty()); i++) {
            if (!running.isEmpty()) {
                finishOldest();
            } else {
                advance(Duration.ofSeconds(1));
            }
        }
        // every record got exactly one result: delivered, or handed back to the queue
        assertThat(results).hasSize(n);
        assertThat(started.size() + deferred.size()).isEqualTo(n);
        assertThat(started).doesNotHaveDuplicates();
        assertThat(gauge("kanmon.delivery.waiting")).isZero();
        assertThat(gauge("kanmon.delivery.active")).isZero();
        // only the flood was handed back, never the occasional senders
        assertThat(deferred).isNotEmpty();
        assertThat(deferred.keySet()).allSatisfy(id -> assertThat(senders.get(id)).isEqualTo("flood@example.test"));
    }
}
