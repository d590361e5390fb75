package dev.kanmon.e2e;

import static dev.kanmon.e2e.E2eStack.SUBMISSION;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, reliability under failures: while a background {@link LoadGenerator} submits continuously, the stack's
 * submission-service, queue-service and delivery-service are killed with {@code kill -9} one after the other
 * (each restarted with {@code bin/kanmon-stack restart <service>}, which waits for readiness) and the Kafka broker
 * is restarted ({@code bin/kanmon-stack restart kafka}). After each fault the test waits until messages accepted
 * after the restart are delivered (the pipeline recovered) before the next fault. At the end every message that
 * got {@code 250} must be in the sink: missing must be 0. Duplicates (at-least-once after a kill) are counted and
 * printed. Transactions that got a {@code 4xx}, a {@code 5xx} or a broken connection during a fault are what a
 * real client retries; they are counted separately, and those that arrived anyway are reported.
 *
 * <p>Short form by default (one round, about 3.5 minutes on 2 cores, much of it the 45 s consumer session
 * time-outs after the kills of queue and delivery); {@code -Dkanmon.reliability.long=true} runs three rounds
 * (every kill and the broker restart three times) with more sessions and more messages between faults.
 * {@code kanmon.reliability.rounds|sessions|pause-ms|between} override the form's values.
 * The stack is restored in {@link #restoreStack()} whatever happens.
 */
class ReliabilityE2ETest extends E2eBase {

    static final boolean LONG = Boolean.getBoolean("kanmon.reliability.long");
    static final int ROUNDS = Integer.getInteger("kanmon.reliability.rounds", LONG ? 3 : 1);
    static final int SESSIONS = Integer.getInteger("kanmon.reliability.sessions", LONG ? 6 : 4);
    static final Duration PAUSE = Duration.ofMillis(Integer.getInteger("kanmon.reliability.pause-ms", LONG ? 200 : 250));
    /** Accepted messages between two faults, and the ones whose delivery proves a recovery. */
    static final int BETWEEN = Integer.getInteger("kanmon.reliability.between", LONG ? 150 : 40);
    static final List<String> SERVICES_KILLED = List.of("submission", "queue", "delivery");

    private final List<String> faults = new ArrayList<>();

    @BeforeAll
    static void stackHealthy() throws Exception {
        StackControl.ensureHealthy();
    }

    @AfterAll
    static void restoreStack() throws Exception {
        StackControl.ensureHealthy();
    }

    @Test
    void killsAndABrokerRestartUnderLoadLoseNoAcceptedMessage() throws Exception {
        Instant t0 = Instant.now();
        SinkIndex sink = new SinkIndex(t0);
        LoadGenerator load = new LoadGenerator("reliability", List.of(SUBMISSION), ScaleOutE2ETest.DOMAINS)
                .messagesPerSession(10).pause(PAUSE);
        log("form: " + (LONG ? "long" : "short") + " (" + ROUNDS + " round(s), " + SESSIONS + " sessions, pause "
                + PAUSE.toMillis() + " ms, " + BETWEEN + " accepted messages between faults)");
        load.start(SESSIONS);
        try {
            load.awaitMoreAccepted(BETWEEN, Duration.ofMinutes(2));
            for (int round = 1; round <= ROUNDS; round++) {
                for (String service : SERVICES_KILLED) {
                    Instant killed = Instant.now();
                    long pid = StackControl.kill9(service, "reliability-" + service + "-killed-" + round);
                    StackControl.stack("restart", service);
                    Instant ready = Instant.now();
                    recovered(load, sink, "round " + round + ": kill -9 " + service + " (pid " + pid + ")", killed, ready);
                }
                Instant stopped = Instant.now();
                StackControl.stack("restart", "kafka");
                for (String s : StackControl.SERVICES.keySet()) {
                    StackControl.awaitReady(s, Duration.ofMinutes(3));
                }
                recovered(load, sink, "round " + round + ": restart of the Kafka broker", stopped, Instant.now());
            }
        } finally {
            load.stop();
        }
        Duration loadTime = Duration.between(t0, Instant.now());

        List<LoadGenerator.Attempt> accepted = load.accepted();
        DeliveryAudit.Result r = DeliveryAudit.awaitDelivered(sink, accepted, Duration.ofMinutes(5), Duration.ofSeconds(90));
        SinkIndex.Check c = r.check();
        List<LoadGenerator.Attempt> notAccepted = load.attempts().stream()
                .filter(a -> a.outcome() != LoadGenerator.Outcome.ACCEPTED).toList();
        long notAcceptedButDelivered = notAccepted.stream().filter(a -> sink.copies(a.token()) > 0).count();

        log("faults: ");
        faults.forEach(f -> log("  " + f));
        log(String.format("RESULT: sent=%d accepted=%d delivered=%d missing=%d duplicates=%d (messages with >1 copy: %d); "
                        + "not accepted=%d %s, of which delivered anyway=%d; truncated dumps=%d; load ran %d s; all "
                        + "accepted mail in the sink %d s after the load stopped; retry-now recipients=%d",
                load.attempts().size(), accepted.size(), c.delivered(), c.missing().size(), c.extraCopies(),
                c.duplicates().size(), notAccepted.size(), load.byOutcome(), notAcceptedButDelivered, sink.truncated(),
                loadTime.toSeconds(), r.waited().toSeconds(), r.retriedRecipients()));
        log("  " + load.summary());
        load.refusalReplies().forEach((reply, n) -> log("  " + n + " x " + reply));
        if (!c.duplicates().isEmpty()) {
            log("  duplicated (at-least-once after kill -9): " + DeliveryAudit.sample(c.duplicates()));
        }
        assertThat(c.missing()).as("accepted (250) but never delivered:\n%s", DeliveryAudit.describeMissing(c, accepted))
                .isEmpty();
    }

    /**
     * Waits for {@link #BETWEEN} more 250s and then for those messages (accepted after the component was back)
     * to reach the sink: the whole pipeline works again. Records the timings.
     */
    private void recovered(LoadGenerator load, SinkIndex sink, String fault, Instant faultAt, Instant backAt) {
        long acceptedBefore = load.acceptedCount();
        load.awaitMoreAccepted(BETWEEN, Duration.ofMinutes(4));
        List<String> probe = load.accepted().stream().filter(a -> a.started().isAfter(backAt))
                .map(LoadGenerator.Attempt::token).toList();
        Instant firstAccepted = load.accepted().stream().filter(a -> a.finished().isAfter(faultAt))
                .map(LoadGenerator.Attempt::finished).min(Instant::compareTo).orElse(Instant.now());
        SinkIndex.Check[] last = new SinkIndex.Check[1];
        try {
            Awaitility.await(fault + ": messages accepted after it delivered").atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> {
                        last[0] = sink.check(probe);
                        return last[0].complete();
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(fault + ": " + last[0].missing().size() + " of " + probe.size()
                    + " messages accepted after the restart not delivered within 4 min; " + load.summary(), e);
        }
        Instant delivered = Instant.now();
        String line = String.format("%s: back and ready after %d s, first 250 after the fault at +%d s, "
                        + "%d messages accepted after the restart delivered by +%d s; %s",
                fault, Duration.between(faultAt, backAt).toSeconds(), Duration.between(faultAt, firstAccepted).toSeconds(),
                probe.size(), Duration.between(faultAt, delivered).toSeconds(),
                "accepted so far " + load.acceptedCount() + " (" + (load.acceptedCount() - acceptedBefore) + " since)");
        faults.add(line);
        log(line);
    }

    private static void log(String line) {
        DeliveryAudit.log("[ReliabilityE2ETest] " + line);
    }
}
