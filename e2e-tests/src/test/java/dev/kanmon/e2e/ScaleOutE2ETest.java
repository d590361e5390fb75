package dev.kanmon.e2e;

import static dev.kanmon.e2e.E2eStack.SUBMISSION;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 6, scale-out on one machine: two submission-service and two delivery-service instances (the stack's own
 * plus one extra JVM of each, run from {@code .local-stack/apps/<service>/quarkus-run.jar} with profile
 * {@code local} on other ports) share Kafka and PostgreSQL.
 *
 * <ol>
 *   <li>Load through both submission instances, to recipients in four test domains whose delivery requests land
 *       on partitions owned by both delivery instances: every message that got {@code 250} is in the sink
 *       exactly once, and both delivery instances delivered some of them.</li>
 *   <li>Under continuous load, {@code kill -9} of the extra delivery instance: the consumer group
 *       {@code delivery-service} rebalances (AdminClient {@code describeConsumerGroups}: the dead member leaves,
 *       all partitions of {@code relay.outbound.v1} go to the survivor) and every accepted message, including
 *       those accepted after the kill, is delivered. Delivery is at-least-once, so copies that the killed JVM
 *       had delivered but not yet committed may arrive twice: they are counted and printed, never hidden;
 *       none may be missing.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutE2ETest extends E2eBase {

    static final String GROUP = "delivery-service";
    static final String TOPIC = "relay.outbound.v1";
    /**
     * Recipient domains whose MX (or A) is the sink. With 6 partitions the delivery requests (key = domain) land on
     * partitions 1 (backup.test), 3 (dest.test, nomx.test) and 4 (example.test): with the range assignor's 0-2 /
     * 3-5 split, both delivery instances get work.
     */
    static final List<String> DOMAINS = List.of("dest.test", "example.test", "nomx.test", "backup.test");
    static final int SECOND_SUBMISSION = 5587;
    static final int SECOND_SUBMISSION_HTTP = 18095;
    static final int SECOND_DELIVERY_HTTP = 18096;
    static final String STACK_DELIVERY_METRICS = StackControl.managementUrl("delivery") + "/q/metrics";

    static final int MESSAGES = Integer.getInteger("kanmon.scaleout.messages", 200);
    static final int SESSIONS = Integer.getInteger("kanmon.scaleout.sessions", 8);

    static SubmissionReplica submission2;
    static DeliveryReplica delivery2;
    static ConsumerGroups groups;
    static int partitions;
    static String stackMember;

    @BeforeAll
    static void startSecondInstances() throws Exception {
        StackControl.awaitReady("delivery", Duration.ofSeconds(60));
        groups = new ConsumerGroups();
        partitions = groups.partitions(TOPIC);
        // a member left over from an earlier, aborted run disappears when its session times out
        ConsumerGroups.Group before = awaitGroup("the stack's delivery-service is the only member of " + GROUP,
                Duration.ofSeconds(90), g -> g.members().size() == 1 && g.assigned().equals(allPartitions()));
        log("delivery group before scale-out: " + before);
        stackMember = before.members().get(0).memberId();

        Instant t0 = Instant.now();
        submission2 = SubmissionReplica.start("scaleout", SECOND_SUBMISSION, SECOND_SUBMISSION_HTTP,
                "kanmon.submission.drain-timeout=2s");
        delivery2 = DeliveryReplica.start("scaleout", SECOND_DELIVERY_HTTP);
        ConsumerGroups.Group both = awaitGroup("both delivery instances share the partitions", Duration.ofSeconds(120),
                g -> g.members().size() == 2 && g.member(stackMember) != null
                        && g.members().stream().allMatch(m -> !m.partitions().isEmpty())
                        && g.assigned().equals(allPartitions()));
        log("second submission (smtp " + SECOND_SUBMISSION + ") and delivery (http " + SECOND_DELIVERY_HTTP
                + ") instances up in " + Duration.between(t0, Instant.now()).toSeconds() + " s; group: " + both);
    }

    @AfterAll
    static void stopSecondInstances() throws Exception {
        try {
            if (delivery2 != null) {
                delivery2.close();
            }
            if (submission2 != null) {
                submission2.close();
            }
            if (groups != null) {
                groups.close();
            }
        } finally {
            StackControl.ensureHealthy();
        }
    }

    @Test
    @Order(1)
    void loadThroughBothInstancesIsDeliveredExactlyOnce() throws Exception {
        SinkIndex sink = new SinkIndex(Instant.now());
        double stackBefore = StackControl.metricSum(STACK_DELIVERY_METRICS, "kanmon_delivery_recipients_total",
                "status=\"delivered\"");
        double replicaBefore = delivery2.deliveredRecipients();
        LoadGenerator load = new LoadGenerator("scale", List.of(SUBMISSION, SECOND_SUBMISSION), DOMAINS)
                .messagesPerSession(10);
        Instant t0 = Instant.now();
        List<LoadGenerator.Attempt> attempts = load.send(MESSAGES, SESSIONS, Duration.ofMinutes(5));
        Duration sending = Duration.between(t0, Instant.now());
        List<LoadGenerator.Attempt> accepted = load.accepted();
        log("scale-out load: " + load.summary() + " in " + sending.toSeconds() + " s; accepted by port "
                + load.acceptedByPort());
        assertThat(attempts).hasSize(MESSAGES);
        assertThat(accepted).as("every transaction gets 250 on a healthy stack: %s %s", load.summary(),
                load.refusalReplies()).hasSize(MESSAGES);
        assertThat(load.acceptedByPort().keySet()).as("both submission instances took messages")
                .containsExactly(SUBMISSION, SECOND_SUBMISSION);

        DeliveryAudit.Result r = DeliveryAudit.awaitDelivered(sink, accepted, Duration.ofMinutes(3), Duration.ofMinutes(2));
        SinkIndex.Check c = r.check();
        double stackDelivered = StackControl.metricSum(STACK_DELIVERY_METRICS, "kanmon_delivery_recipients_total",
                "status=\"delivered\"") - stackBefore;
        double replicaDelivered = delivery2.deliveredRecipients() - replicaBefore;
        log(String.format("scale-out phase 1: sent=%d accepted=%d delivered=%d missing=%d duplicates=%d "
                        + "(all in the sink %d s after the last 250); delivered by the stack's delivery-service=%.0f, "
                        + "by the second instance=%.0f; retry-now recipients=%d",
                attempts.size(), accepted.size(), c.delivered(), c.missing().size(), c.extraCopies(),
                r.waited().toSeconds(), stackDelivered, replicaDelivered, r.retriedRecipients()));
        assertThat(c.missing()).as("accepted but not delivered:\n%s", DeliveryAudit.describeMissing(c, accepted)).isEmpty();
        assertThat(c.duplicates()).as("copies of each message without any failure: exactly one").isEmpty();
        for (LoadGenerator.Attempt a : accepted.subList(0, Math.min(5, accepted.size()))) {
            assertThat(Sink.count(a.token())).as("Sink.count(%s)", a.token()).isEqualTo(1);
        }
        assertThat(stackDelivered).as("the stack's delivery-service delivered part of the load").isPositive();
        assertThat(replicaDelivered).as("the second delivery-service delivered part of the load").isPositive();
    }

    @Test
    @Order(2)
    void killingOneDeliveryInstanceRebalancesItsPartitionsToTheSurvivor() throws Exception {
        ConsumerGroups.Group before = groups.describe(GROUP, TOPIC);
        assertThat(before.members()).as("two delivery instances before the kill: %s", before).hasSize(2);
        SinkIndex sink = new SinkIndex(Instant.now());
        LoadGenerator load = new LoadGenerator("scale-kill", List.of(SUBMISSION, SECOND_SUBMISSION), DOMAINS)
                .messagesPerSession(10).pause(Duration.ofMillis(200));
        Instant t0 = Instant.now();
        load.start(6);
        try {
            load.awaitMoreAccepted(60, Duration.ofMinutes(2));
            long acceptedBeforeKill = load.acceptedCount();
            Instant killedAt = Instant.now();
            delivery2.kill9();
            log("kill -9 of the second delivery-service (pid " + delivery2.pid() + ") after " + acceptedBeforeKill
                    + " accepted messages; group: " + groups.describe(GROUP, TOPIC));

            // Classic group protocol: the dead member is dropped when its session times out (45 s default), then
            // the coordinator rebalances and the survivor gets every partition.
            ConsumerGroups.Group after = awaitGroup("the survivor owns every partition", Duration.ofMinutes(3),
                    g -> "STABLE".equalsIgnoreCase(g.state()) && g.members().size() == 1
                            && !g.members().get(0).clientId().equals(delivery2.clientId)
                            && g.members().get(0).partitions().equals(allPartitions()));
            Instant rebalancedAt = Instant.now();
            log("rebalanced " + Duration.between(killedAt, rebalancedAt).toSeconds() + " s after the kill: " + after
                    + (after.members().get(0).memberId().equals(stackMember) ? " (the stack's member)" : " (a new member)"));
            long acceptedAtRebalance = load.acceptedCount();
            load.awaitMoreAccepted(60, Duration.ofMinutes(2));
            load.stop();
            Duration sending = Duration.between(t0, Instant.now());

            List<LoadGenerator.Attempt> accepted = load.accepted();
            List<LoadGenerator.Attempt> afterKill = accepted.stream().filter(a -> a.finished().isAfter(killedAt)).toList();
            List<LoadGenerator.Attempt> afterRebalance =
                    accepted.stream().filter(a -> a.finished().isAfter(rebalancedAt)).toList();
            DeliveryAudit.Result r = DeliveryAudit.awaitDelivered(sink, accepted, Duration.ofMinutes(5), Duration.ofMinutes(2));
            SinkIndex.Check c = r.check();
            SinkIndex.Check cAfterKill = sink.check(afterKill.stream().map(LoadGenerator.Attempt::token).toList());
            SinkIndex.Check cAfterRebalance = sink.check(afterRebalance.stream().map(LoadGenerator.Attempt::token).toList());
            log(String.format("scale-out phase 2 (kill -9 of one delivery instance): %s in %d s; "
                            + "sent=%d accepted=%d delivered=%d missing=%d duplicates=%d (messages with >1 copy: %d) "
                            + "truncated-dumps=%d; accepted before kill=%d, after kill=%d (delivered %d), after rebalance=%d "
                            + "(delivered %d; %d accepted by then); all delivered %d s after the last 250; "
                            + "retry-now recipients=%d",
                    load.summary(), sending.toSeconds(), load.attempts().size(), accepted.size(), c.delivered(),
                    c.missing().size(), c.extraCopies(), c.duplicates().size(), sink.truncated(), acceptedBeforeKill,
                    afterKill.size(), cAfterKill.delivered(), afterRebalance.size(), cAfterRebalance.delivered(),
                    acceptedAtRebalance, r.waited().toSeconds(), r.retriedRecipients()));
            if (!c.duplicates().isEmpty()) {
                log("  duplicated (at-least-once after kill -9): " + DeliveryAudit.sample(c.duplicates()));
                for (String t : c.duplicates().keySet().stream().limit(3).toList()) {
                    assertThat(Sink.count(t)).as("Sink.count(%s)", t).isEqualTo(c.duplicates().get(t).longValue());
                }
            }
            assertThat(c.missing()).as("accepted but not delivered:\n%s", DeliveryAudit.describeMissing(c, accepted))
                    .isEmpty();
            assertThat(afterRebalance).as("messages were accepted after the rebalance").isNotEmpty();
        } finally {
            load.stop();
        }
    }

    private static Set<Integer> allPartitions() {
        return IntStream.range(0, partitions).boxed().collect(Collectors.toCollection(TreeSet::new));
    }

    private static ConsumerGroups.Group awaitGroup(String what, Duration timeout,
            java.util.function.Predicate<ConsumerGroups.Group> condition) {
        ConsumerGroups.Group[] last = new ConsumerGroups.Group[1];
        try {
            Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> {
                        last[0] = groups.describe(GROUP, TOPIC);
                        return condition.test(last[0]);
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(what + ": group " + GROUP + " is " + last[0], e);
        }
        return last[0];
    }

    private static void log(String line) {
        DeliveryAudit.log("[ScaleOutE2ETest] " + line);
    }
}
