package dev.kanmon.e2e;

import static dev.kanmon.e2e.E2eStack.ALICE;
import static dev.kanmon.e2e.E2eStack.ALICE_ADDRESS;
import static dev.kanmon.e2e.E2eStack.ALICE_PASSWORD;
import static dev.kanmon.e2e.E2eStack.HOST;
import static dev.kanmon.e2e.E2eStack.QUEUE_API;
import static dev.kanmon.e2e.E2eStack.SUBMISSIONS;
import static dev.kanmon.e2e.E2eStack.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a remote MX answers, through the whole pipeline (R4, R5): a {@code 451} is retried (here on the
 * operator's "retry now", as {@code postsuper -r} would) and the second attempt delivers; a {@code 550} for one
 * of two recipients delivers to the other and returns a DSN (RFC 3464) for the refused one to the sender.
 * The remote MX is {@link ScriptedDestination} on 127.0.0.13, the MX of {@code scripted.test}.
 */
class DestinationRepliesE2ETest extends E2eBase {

    private static ScriptedDestination destination;

    @BeforeAll
    static void startDestination() throws Exception {
        destination = new ScriptedDestination("127.0.0.13", 2526);
    }

    @AfterAll
    static void stopDestination() throws Exception {
        if (destination != null) {
            destination.close();
        }
    }

    private static JsonPath queued(String queueId) {
        return given().auth().oauth2(token("operator", "operator-secret")).get(QUEUE_API + "/messages/" + queueId)
                .then().statusCode(200).extract().jsonPath();
    }

    /** Submits over 465 and returns the queue id. */
    private static String submit(TestMessage m, List<String> recipients) throws Exception {
        try (SmtpClient c = SmtpClient.connectTls(HOST, SUBMISSIONS)) {
            c.read();
            c.send("EHLO " + HELO);
            assertThat(c.authPlain(ALICE, ALICE_PASSWORD).code()).as(c.transcript()).isEqualTo(235);
            assertThat(c.send("MAIL FROM:<" + m.from + ">").code()).as(c.transcript()).isEqualTo(250);
            for (String rcpt : recipients) {
                assertThat(c.send("RCPT TO:<" + rcpt + "> NOTIFY=FAILURE").code()).as(c.transcript()).isEqualTo(250);
            }
            Reply end = c.data(m.dotStuffedCrlf());
            assertThat(end.code()).as(c.transcript()).isEqualTo(250);
            return end.queueId();
        }
    }

    @Test
    void aTemporaryRefusalIsRetriedAndThenDelivered() throws Exception {
        String rcpt = "tempfail-once-" + System.nanoTime() + "@scripted.test";
        TestMessage m = new TestMessage("tempfail", ALICE_ADDRESS, rcpt);
        String id = submit(m, List.of(rcpt));

        // 404 until the queue-service has taken the message in from Kafka
        Awaitility.await("first attempt deferred").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .until(() -> "deferred".equals(queued(id).getString("recipients[0].state")));
        JsonPath deferred = queued(id);
        assertThat(deferred.getInt("recipients[0].replyCode")).isEqualTo(451);
        assertThat(deferred.getString("recipients[0].enhancedCode")).isEqualTo("4.3.0");
        assertThat(deferred.getString("recipients[0].nextAttemptAt")).as("a retry is scheduled").isNotNull();

        given().auth().oauth2(token("operator", "operator-secret")).post(QUEUE_API + "/messages/" + id + "/retry")
                .then().statusCode(200);
        Awaitility.await("second attempt delivered").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .until(() -> "delivered".equals(queued(id).getString("recipients[0].state")));

        assertThat(destination.attempts).filteredOn(a -> a.recipient().equals(rcpt))
                .extracting(ScriptedDestination.Attempt::code).containsExactly(451, 250);
        assertThat(destination.accepted).filteredOn(a -> a.recipients().contains(rcpt)).hasSize(1)
                .allSatisfy(a -> assertThat(a.content()).contains("X-E2E-Token: " + m.token));
        assertThat(queued(id).getList("recipients[0].history.status")).as("attempt history")
                .containsExactly("deferred", "delivered");
    }

    @Test
    void aPermanentRefusalOfOneRecipientBouncesOnlyThatOne() throws Exception {
        String good = "ok-" + System.nanoTime() + "@scripted.test";
        String bad = "unknown-" + System.nanoTime() + "@scripted.test";
        TestMessage m = new TestMessage("partial", ALICE_ADDRESS, good);
        String id = submit(m, List.of(good, bad));

        Sink.Dump dsn = Sink.awaitMatching("a DSN about " + bad, 90,
                text -> text.contains("X-Mail-Args: <>") && text.contains(bad));
        assertThat(dsn.sinkValue("X-Rcpt-Args")).as("DSN goes to the sender (%s)", dsn.file())
                .startsWith("<" + ALICE_ADDRESS + ">");
        String body = String.join("\n", dsn.body());
        assertThat(body).as("DSN of %s", dsn.file())
                .containsIgnoringCase("message/delivery-status")
                .containsPattern("Final-Recipient: ?rfc822; ?" + java.util.regex.Pattern.quote(bad))
                .contains("Action: failed")
                .contains("Status: 5.1.1")
                .contains("550 5.1.1")
                .doesNotContainPattern("Final-Recipient: ?rfc822; ?" + java.util.regex.Pattern.quote(good));

        assertThat(destination.accepted).filteredOn(a -> a.recipients().contains(good))
                .singleElement().satisfies(a -> assertThat(a.recipients()).containsExactly(good));
        Awaitility.await("recipient states").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(queued(id).getList("recipients.state"))
                        .containsExactlyInAnyOrder("delivered", "bounced"));
    }
}
