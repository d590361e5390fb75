package dev.kanmon.e2e;

import static dev.kanmon.e2e.E2eStack.SUBMISSION;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 3, fair delivery per subscriber, on the running stack. {@code ratelimited.test} is the sink at
 * 5 messages per 5 s (the delivery-service's {@code %local} profile: a burst of five, then one a second). alice
 * floods it; right after, bob sends three messages there and three to {@code dest.test}. The time from each
 * {@code 250} to the sink's dump (its file's modification time) is measured and printed, with bob's delay to
 * {@code dest.test} before the flood as the baseline and the time the flood takes to drain. Only orders are asserted,
 * never durations: bob's messages reach the sink before the flood's last ten (behind the flood in arrival order they
 * would come after all of it), and every accepted message arrives.
 */
class FairDeliveryE2ETest extends E2eBase {

    static final String LIMITED = "ratelimited.test";
    static final String OTHER = "dest.test";
    static final int FLOOD = Integer.getInteger("kanmon.fair.flood", 40);
    static final String BOB = "bob";
    static final String BOB_FROM = "bob@example.test";

    /** A message bob sent and when its {@code 250} came. */
    record Sent(TestMessage message, Instant accepted) {
    }

    @Test
    void aFloodToARateLimitedDestinationBarelyDelaysAnotherSubscriberAndNotOtherDestinations() throws Exception {
        StackControl.awaitReady("delivery", Duration.ofSeconds(60));
        Instant t0 = Instant.now();
        Arrivals sink = new Arrivals(t0);

        List<Sent> baseline = sendAsBob("fair-baseline", List.of(OTHER, OTHER, OTHER));
        sink.await(baseline.stream().map(s -> s.message().token).toList(), Duration.ofSeconds(60));

        Instant floodStart = Instant.now();
        LoadGenerator flood = new LoadGenerator("fair-flood", List.of(SUBMISSION), List.of(LIMITED)).messagesPerSession(10);
        flood.send(FLOOD, 4, Duration.ofMinutes(3));
        List<LoadGenerator.Attempt> accepted = flood.accepted();
        assertThat(accepted).as("the flood is accepted: %s %s", flood.summary(), flood.refusalReplies()).hasSize(FLOOD);
        Instant floodAccepted = Instant.now();
        List<Sent> few = sendAsBob("fair-few", List.of(LIMITED, LIMITED, LIMITED));
        List<Sent> other = sendAsBob("fair-other", List.of(OTHER, OTHER, OTHER));

        List<String> floodTokens = accepted.stream().map(LoadGenerator.Attempt::token).toList();
        List<String> all = new ArrayList<>(floodTokens);
        Stream.concat(few.stream(), other.stream()).forEach(s -> all.add(s.message().token));
        sink.await(all, Duration.ofMinutes(3));

        List<Instant> floodArrivals = floodTokens.stream().map(sink::at).sorted().toList();
        Instant floodLast = floodArrivals.get(floodArrivals.size() - 1);
        Instant floodTenthLast = floodArrivals.get(floodArrivals.size() - 10);
        String report = String.format("fair delivery (%d-message flood from alice to %s at 1/s after a burst of 5): "
                        + "bob to %s before the flood %s ms; during the flood bob to %s %s ms, bob to %s %s ms; "
                        + "the flood took %d s to accept and %d s from its first 250 to its last delivery",
                FLOOD, LIMITED, OTHER, delays(baseline, sink), LIMITED, delays(few, sink), OTHER, delays(other, sink),
                Duration.between(floodStart, floodAccepted).toSeconds(), Duration.between(floodStart, floodLast).toSeconds());
        System.out.println(report);
        Files.writeString(E2eStack.workDir().resolve("fair-delivery.txt"), report + "\n");

        for (Sent s : few) {
            assertThat(sink.at(s.message().token)).as("bob's %s to %s vs the flood's tenth-last", s.message().token, LIMITED)
                    .isBefore(floodTenthLast);
        }
        for (Sent s : other) {
            assertThat(sink.at(s.message().token)).as("bob's %s to %s vs the flood's tenth-last", s.message().token, OTHER)
                    .isBefore(floodTenthLast);
        }
    }

    /** Each message in its own transaction of one session; returns when every one has its {@code 250}. */
    static List<Sent> sendAsBob(String label, List<String> domains) throws IOException {
        List<Sent> sent = new ArrayList<>();
        try (SmtpClient c = tlsSession(SUBMISSION)) {
            assertThat(c.authPlain(BOB, "bob-secret").code()).as(c.transcript()).isEqualTo(235);
            for (int i = 0; i < domains.size(); i++) {
                TestMessage m = new TestMessage(label + "-" + i, BOB_FROM, label + "-" + i + "@" + domains.get(i));
                assertThat(c.send("MAIL FROM:<" + BOB_FROM + ">").code()).as(c.transcript()).isEqualTo(250);
                assertThat(c.send("RCPT TO:<" + m.to + ">").code()).as(c.transcript()).isEqualTo(250);
                assertThat(c.data(m.dotStuffedCrlf()).code()).as(c.transcript()).isEqualTo(250);
                sent.add(new Sent(m, Instant.now()));
            }
            c.send("QUIT");
        }
        return sent;
    }

    static List<Long> delays(List<Sent> sent, Arrivals sink) {
        return sent.stream().map(s -> Duration.between(s.accepted(), sink.at(s.message().token)).toMillis()).toList();
    }

    /** When each test message's complete dump was written by the sink (the file's modification time). */
    static final class Arrivals {
        private final long notBefore;
        private final Set<Path> done = new HashSet<>();
        private final Map<String, Instant> arrived = new HashMap<>();

        Arrivals(Instant since) {
            this.notBefore = since.toEpochMilli() - 1_000;
        }

        Instant at(String token) {
            return arrived.get(token);
        }

        void await(List<String> tokens, Duration timeout) {
            Awaitility.await("test messages in the sink").atMost(timeout).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        refresh();
                        return tokens.stream().allMatch(arrived::containsKey);
                    });
        }

        private void refresh() throws IOException {
            List<Path> files;
            try (Stream<Path> s = Files.list(E2eStack.sinkDir())) {
                files = s.filter(f -> !done.contains(f)).toList();
            }
            for (Path f : files) {
                long modified;
                String text;
                try {
                    modified = Files.getLastModifiedTime(f).toMillis();
                    if (modified < notBefore) {
                        done.add(f);
                        continue;
                    }
                    text = Files.readString(f, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
                } catch (IOException e) {
                    continue; // being written or removed: next time
                }
                int at = text.indexOf("\nX-E2E-Token: ");
                if (at < 0) {
                    if (text.contains("\n\n")) {
                        done.add(f); // a complete dump of some other message
                    }
                    continue;
                }
                int start = at + "\nX-E2E-Token: ".length();
                String token = text.substring(start, text.indexOf('\n', start)).trim();
                if (text.contains("\nend " + token + "\n")) {
                    arrived.putIfAbsent(token, Instant.ofEpochMilli(modified));
                    done.add(f);
                }
            }
        }
    }
}
