package dev.kanmon.e2e;

import static dev.kanmon.e2e.E2eStack.SUBMISSION;
import static io.restassured.RestAssured.given;
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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import io.restassured.http.ContentType;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 3, fair delivery per subscriber, on the running stack. {@code ratelimited.test} is the sink at
 * 5 messages per 5 s (the delivery-service's {@code %local} profile: a burst of five, then one a second; with
 * {@code backlog.max-hold=1m} at most 60 records wait for it). Two subscribers of its own (made in Keycloak for the
 * run, so that no other suite's limits or abuse measures on alice and bob get in the way): "flood" sends 70
 * messages there; right after, "few" sends three messages there and three to {@code dest.test}. The time from each
 * {@code 250} to the sink's dump (its file's modification time) is measured and printed, with the few's delay to
 * {@code dest.test} before the flood as the baseline and the time the flood takes to drain. Only orders are asserted, never durations: the few's messages reach the sink
 * before the flood's last ten (behind the flood in arrival order they would come after all of it). The flood's
 * overflow is handed back to the queue (DEFERRED 4.4.5 in the message's attempts, counted by the delivery-service)
 * and, made due with the operator's "retry now" instead of waiting out the 5-minute back-off, delivered too: every
 * accepted message arrives.
 */
class FairDeliveryE2ETest extends E2eBase {

    static final String LIMITED = "ratelimited.test";
    static final String OTHER = "dest.test";
    static final int FLOOD = Integer.getInteger("kanmon.fair.flood", 70);
    static final String DELIVERY_METRICS = StackControl.managementUrl("delivery") + "/q/metrics";
    static final String HANDED_BACK = "kanmon_delivery_backlog_deferred_total";
    static final String KC = "http://127.0.0.1:18080";
    static final String PASSWORD = "fair-delivery-secret";

    private final List<String> users = new ArrayList<>();

    private static String adminToken() {
        return given().contentType(ContentType.URLENC).formParam("grant_type", "password")
                .formParam("client_id", "admin-cli").formParam("username", "kcadmin").formParam("password", "kcadmin")
                .post(KC + "/realms/master/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    /** A subscriber with the stack's default plan; its address (the envelope sender) is {@code <name>@example.test}. */
    private String createUser(String label) {
        String name = label + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        String location = given().auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("username", name, "enabled", true, "email", name + "@example.test",
                        "emailVerified", true, "firstName", "Fair", "lastName", "Delivery", "credentials",
                        List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false))))
                .post(KC + "/admin/realms/kanmon/users").then().statusCode(201).extract().header("Location");
        users.add(location.substring(location.lastIndexOf('/') + 1));
        return name;
    }

    @AfterEach
    void deleteUsers() {
        users.forEach(id -> given().auth().oauth2(adminToken()).delete(KC + "/admin/realms/kanmon/users/" + id));
    }

    /** A message the few sent and when its {@code 250} came. */
    record Sent(TestMessage message, Instant accepted) {
    }

    @Test
    void aFloodToARateLimitedDestinationBarelyDelaysAnotherSubscriberAndNotOtherDestinations() throws Exception {
        StackControl.awaitReady("delivery", Duration.ofSeconds(60));
        String flooder = createUser("fair-flood");
        String few = createUser("fair-few");
        Instant t0 = Instant.now();
        Arrivals sink = new Arrivals(t0);

        List<Sent> baseline = send(few, "fair-baseline", List.of(OTHER, OTHER, OTHER));
        sink.await(baseline.stream().map(s -> s.message().token).toList(), Duration.ofSeconds(60));

        double handedBackBefore = handedBack();
        SinkIndex index = new SinkIndex(t0);
        Instant floodStart = Instant.now();
        LoadGenerator flood = new LoadGenerator("fair-flood", List.of(SUBMISSION), List.of(LIMITED), flooder, PASSWORD,
                flooder + "@example.test").messagesPerSession(10);
        flood.send(FLOOD, 4, Duration.ofMinutes(3));
        List<LoadGenerator.Attempt> accepted = flood.accepted();
        assertThat(accepted).as("the flood is accepted: %s %s", flood.summary(), flood.refusalReplies()).hasSize(FLOOD);
        Instant floodAccepted = Instant.now();
        List<Sent> fewSent = send(few, "fair-few", List.of(LIMITED, LIMITED, LIMITED));
        List<Sent> other = send(few, "fair-other", List.of(OTHER, OTHER, OTHER));

        List<String> fewTokens = Stream.concat(fewSent.stream(), other.stream()).map(s -> s.message().token).toList();
        sink.await(fewTokens, Duration.ofMinutes(2));
        // the flood: what waited is delivered at the rate; what was handed back gets "retry now" after 75 s
        DeliveryAudit.Result audit = DeliveryAudit.awaitDelivered(index, accepted, Duration.ofMinutes(4), Duration.ofSeconds(75));
        assertThat(audit.check().missing()).as("accepted but not delivered:\n%s",
                DeliveryAudit.describeMissing(audit.check(), accepted)).isEmpty();
        List<String> floodTokens = accepted.stream().map(LoadGenerator.Attempt::token).toList();
        sink.await(floodTokens, Duration.ofSeconds(30));
        double handedBack = handedBack() - handedBackBefore;
        QueueOperator operator = new QueueOperator();
        Set<String> handedBackTokens = accepted.stream().filter(a -> operator.detail(a.queueId()).contains("\"4.4.5\""))
                .map(LoadGenerator.Attempt::token).collect(Collectors.toSet());
        long withHandBack = handedBackTokens.size();

        // the records that waited their turn (not handed back): the flood as the rate lets it out
        List<Instant> floodArrivals = floodTokens.stream().filter(t -> !handedBackTokens.contains(t)).map(sink::at)
                .sorted().toList();
        Instant floodLast = floodArrivals.get(floodArrivals.size() - 1);
        Instant floodTenthLast = floodArrivals.get(floodArrivals.size() - 10);
        String report = String.format("fair delivery (%d-message flood from one subscriber to %s at 1/s after a burst "
                        + "of 5): another subscriber to %s before the flood %s ms; during the flood to %s %s ms, to %s %s ms; "
                        + "the flood took %d s to accept and %d s from its first 250 to the last delivery of those that "
                        + "waited; %d of it handed back (4.4.5) and delivered after 'retry now' (%d recipients made due)",
                FLOOD, LIMITED, OTHER, delays(baseline, sink), LIMITED, delays(fewSent, sink), OTHER, delays(other, sink),
                Duration.between(floodStart, floodAccepted).toSeconds(), Duration.between(floodStart, floodLast).toSeconds(),
                withHandBack, audit.retriedRecipients());
        System.out.println(report);
        Files.writeString(E2eStack.workDir().resolve("fair-delivery.txt"), report + "\n");

        assertThat(withHandBack).as("flood messages with a 4.4.5 attempt").isPositive()
                .isEqualTo((long) handedBack);
        for (Sent s : fewSent) {
            assertThat(sink.at(s.message().token)).as("the few's %s to %s vs the flood's tenth-last", s.message().token, LIMITED)
                    .isBefore(floodTenthLast);
        }
        for (Sent s : other) {
            assertThat(sink.at(s.message().token)).as("the few's %s to %s vs the flood's tenth-last", s.message().token, OTHER)
                    .isBefore(floodTenthLast);
        }
    }

    /** Records the stack's delivery-service handed back to the queue for {@code ratelimited.test}. */
    static double handedBack() {
        double n = StackControl.metricSum(DELIVERY_METRICS, HANDED_BACK, "domain=\"" + LIMITED + "\"");
        return Double.isNaN(n) ? 0 : n;
    }

    /** Each message in its own transaction of one session; returns when every one has its {@code 250}. */
    static List<Sent> send(String user, String label, List<String> domains) throws IOException {
        String from = user + "@example.test";
        List<Sent> sent = new ArrayList<>();
        try (SmtpClient c = tlsSession(SUBMISSION)) {
            assertThat(c.authPlain(user, PASSWORD).code()).as(c.transcript()).isEqualTo(235);
            for (int i = 0; i < domains.size(); i++) {
                TestMessage m = new TestMessage(label + "-" + i, from, label + "-" + i + "@" + domains.get(i));
                assertThat(c.send("MAIL FROM:<" + from + ">").code()).as(c.transcript()).isEqualTo(250);
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
