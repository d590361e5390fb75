package dev.kanmon.e2e;

import static dev.kanmon.e2e.E2eStack.AUTH_API;
import static dev.kanmon.e2e.E2eStack.HOST;
import static dev.kanmon.e2e.E2eStack.SUBMISSION;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The abuse automation on the running stack (docs/abuse.md): a takeover is slowed down, held, notified and suspended
 * while other subscribers' mail flows, the operator's release delivers the held messages, every step is in the audit
 * record with its reasons; credential stuffing that works raises the user's score. Logins "from another network" come
 * from other loopback /24s (127.0.9.1, 127.0.10.x), which the submission-service sees as the client address.
 */
class AbuseE2ETest extends E2eBase {

    private static final String KC = "http://127.0.0.1:18080";
    private static final String ABUSE_API = "http://127.0.0.1:18083/api/v1/abuse";
    /** A network the test user never used before (its history is from 127.0.0.1). */
    private static final String NEW_NETWORK = "127.0.9.1";

    private final List<String> users = new ArrayList<>();
    private String operatorToken;

    private static String adminToken() {
        return given().contentType(ContentType.URLENC).formParam("grant_type", "password")
                .formParam("client_id", "admin-cli").formParam("username", "kcadmin").formParam("password", "kcadmin")
                .post(KC + "/realms/master/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    private String createUser(String name, String password) {
        String location = given().auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("username", name, "enabled", true, "email", name + "@example.test",
                        "emailVerified", true, "firstName", "Abuse", "lastName", "Test", "credentials",
                        List.of(Map.of("type", "password", "value", password, "temporary", false))))
                .post(KC + "/admin/realms/kanmon/users").then().statusCode(201).extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        users.add(id);
        return id;
    }

    @AfterEach
    void deleteUsers() {
        users.forEach(id -> given().auth().oauth2(adminToken()).delete(KC + "/admin/realms/kanmon/users/" + id));
    }

    private String operator() {
        if (operatorToken == null) {
            operatorToken = E2eStack.token("operator", "operator-secret");
        }
        return operatorToken;
    }

    /** The abuse view of the subscriber (404 until first scored). */
    private Response subscriber(String user) {
        operatorToken = null; // tokens live 300 s; the test may take minutes
        return given().auth().oauth2(operator()).get(ABUSE_API + "/subscribers/" + user);
    }

    private JsonPath awaitSubscriber(String user, String what, Predicate<JsonPath> test) {
        JsonPath[] last = new JsonPath[1];
        Awaitility.await(user + ": " + what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    Response r = subscriber(user);
                    if (r.statusCode() != 200) {
                        return false;
                    }
                    last[0] = r.jsonPath();
                    return test.test(last[0]);
                });
        return last[0];
    }

    /** A session after EHLO, STARTTLS, EHLO and AUTH PLAIN from the given source address; the AUTH reply. */
    private static SmtpClient session(String source, String user, String password, int expectedAuth) throws IOException {
        SmtpClient c = SmtpClient.connect(HOST, SUBMISSION, source);
        c.read();
        c.send("EHLO " + HELO);
        assertThat(c.startTls().code()).as(c.transcript()).isEqualTo(220);
        c.send("EHLO " + HELO);
        Reply auth = c.authPlain(user, password);
        assertThat(auth.code()).as(c.transcript()).isEqualTo(expectedAuth);
        return c;
    }

    /** One message to all the recipients; its queue id. */
    private static String send(SmtpClient c, TestMessage m, List<String> rcpts) throws IOException {
        assertThat(c.send("MAIL FROM:<" + m.from + ">").code()).as(c.transcript()).isEqualTo(250);
        for (String rcpt : rcpts) {
            assertThat(c.send("RCPT TO:<" + rcpt + ">").code()).as(c.transcript()).isEqualTo(250);
        }
        Reply r = c.data(m.dotStuffedCrlf());
        assertThat(r.code()).as(c.transcript()).isEqualTo(250);
        return r.queueId();
    }

    /** Recipients at d{from}..d{to}.fanout.test (forty test domains that are all the sink). */
    private static List<String> domains(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> String.format("rcpt@d%02d.fanout.test", i)).toList();
    }

    private static String level(JsonPath p) {
        return p.getString("level");
    }

    @Test
    void aTakeoverIsSlowedHeldNotifiedAndSuspendedAndTheReleasedHoldIsDelivered() throws Exception {
        String user = "abuse-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "pw-" + UUID.randomUUID();
        String address = user + "@example.test";
        createUser(user, password);

        // a normal history: a login from the usual network and a message to one domain
        try (SmtpClient c = session(null, user, password, 235)) {
            TestMessage usual = new TestMessage("abuse-usual", address, E2eStack.BOB_ADDRESS);
            send(c, usual, List.of(E2eStack.BOB_ADDRESS));
            Sink.await(usual);
        }
        JsonPath p = awaitSubscriber(user, "known from its usual network", s -> s.getString("email") != null);
        assertThat(p.getInt("score")).isZero();

        TestMessage held1 = new TestMessage("abuse-held1", address, "rcpt@d13.fanout.test");
        TestMessage held2 = new TestMessage("abuse-held2", address, "rcpt@d17.fanout.test");
        try (SmtpClient c = session(NEW_NETWORK, user, password, 235)) {
            p = awaitSubscriber(user, "login from a new network scored", s -> s.getInt("score") >= 30);
            assertThat(p.getMap("signals")).containsEntry("new_network", 1.0f);
            assertThat(level(p)).isEqualTo("OBSERVE");

            // mail from the new network spread over many domains: 7 reach the slow-down
            send(c, new TestMessage("abuse-spread1", address, "rcpt@d01.fanout.test"), domains(1, 3));
            send(c, new TestMessage("abuse-spread2", address, "rcpt@d04.fanout.test"), domains(4, 7));
            p = awaitSubscriber(user, "slowed down", s -> s.getBoolean("slowedDown"));
            assertThat(level(p)).isEqualTo("SLOW_DOWN");
            Awaitility.await("plan abuse-slowdown applied by the auth-service").atMost(Duration.ofSeconds(30))
                    .until(() -> "abuse-slowdown".equals(given().auth().oauth2(operator())
                            .get(AUTH_API + "/api/v1/quota/subscribers/" + user).jsonPath().getString("limits.plan")));

            // 12 domains: held
            send(c, new TestMessage("abuse-spread3", address, "rcpt@d08.fanout.test"), domains(8, 12));
            p = awaitSubscriber(user, "held", s -> s.getBoolean("held"));
            assertThat(level(p)).isEqualTo("HOLD");

            // accepted with 250 but held; 16 domains: notified
            String held1Id = send(c, held1, domains(13, 16));
            p = awaitSubscriber(user, "notified", s -> s.getString("notifiedAt") != null);
            Sink.Dump notice = Sink.awaitMatching("abuse notice to " + address, 60,
                    text -> text.contains("To: <" + address + ">") && text.contains("Outgoing mail of " + user));
            assertThat(String.join("\n", notice.body())).contains("new_network", "recipient_domains");

            // 19 domains: suspended; this message is held too
            String held2Id = send(c, held2, domains(17, 19));
            p = awaitSubscriber(user, "suspended", s -> s.getBoolean("suspended"));
            assertThat(level(p)).isEqualTo("SUSPEND");
            assertThat(p.getList("heldMessages", String.class)).containsExactlyInAnyOrder(held1Id, held2Id);

            // the open session is ended (its next MAIL refused once its quota block expires) and AUTH is refused
            Awaitility.await("open session refused").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        Reply mail = c.send("MAIL FROM:<" + address + ">");
                        if (mail.code() == 250) {
                            c.send("RSET");
                            return false;
                        }
                        return mail.code() >= 400;
                    });
        }
        Awaitility.await("AUTH refused").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    try (SmtpClient c = SmtpClient.connect(HOST, SUBMISSION)) {
                        c.read();
                        c.send("EHLO " + HELO);
                        c.startTls();
                        c.send("EHLO " + HELO);
                        Reply auth = c.authPlain(user, password);
                        return auth.code() == 535 && auth.all().contains("suspended");
                    }
                });

        // meanwhile another subscriber's mail flows
        try (SmtpClient c = session(null, "bob", "bob-secret", 235)) {
            TestMessage other = new TestMessage("abuse-other", "bob@example.test", "carol@dest.test");
            send(c, other, List.of("carol@dest.test"));
            Sink.await(other);
        }
        assertThat(Sink.count(held1.token)).as("held messages are not delivered").isZero();

        // the operator releases the hold: the held messages are delivered, one transaction per domain
        given().auth().oauth2(operator()).contentType(ContentType.JSON).body(Map.of("reason", "checked with the user"))
                .post(ABUSE_API + "/subscribers/" + user + "/hold/release").then().statusCode(200)
                .body("action", org.hamcrest.Matchers.equalTo("HOLD_RELEASED"));
        Awaitility.await("released messages delivered").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Sink.count(held1.token) == 4 && Sink.count(held2.token) == 3);

        // every step is in the audit record with its reasons
        List<Map<String, Object>> actions = given().auth().oauth2(operator())
                .get(ABUSE_API + "/subscribers/" + user + "/actions").then().statusCode(200).extract().jsonPath()
                .getList("");
        assertThat(actions).extracting(a -> a.get("action"))
                .containsSubsequence("HOLD_RELEASED", "SUSPEND", "NOTIFY", "HOLD", "SLOW_DOWN");
        for (Map<String, Object> a : actions) {
            assertThat((String) a.get("reason")).as("reason of %s", a).isNotBlank();
            assertThat(a.get("at")).isNotNull();
            if (Boolean.TRUE.equals(a.get("automatic"))) {
                assertThat(a.get("actor")).isEqualTo("abuse-automation");
                @SuppressWarnings("unchecked")
                Map<String, Object> signals = (Map<String, Object>) a.get("signals");
                assertThat(signals).containsKeys("new_network", "recipient_domains");
            } else {
                assertThat(a.get("actor")).isEqualTo("operator");
                assertThat((String) a.get("reason")).contains("checked with the user");
            }
        }

        // the other steps are undone through the API as well, and audited
        given().auth().oauth2(operator()).contentType(ContentType.JSON).body(Map.of("reason", "password changed"))
                .delete(ABUSE_API + "/subscribers/" + user + "/suspension").then().statusCode(200);
        given().auth().oauth2(operator()).contentType(ContentType.JSON).body(Map.of())
                .delete(ABUSE_API + "/subscribers/" + user + "/slow-down").then().statusCode(200);
        Awaitility.await("suspension lifted and plan restored by the auth-service").atMost(Duration.ofSeconds(30))
                .until(() -> {
                    JsonPath q = given().auth().oauth2(operator()).get(AUTH_API + "/api/v1/quota/subscribers/" + user)
                            .jsonPath();
                    return !q.getBoolean("limits.suspended") && !"abuse-slowdown".equals(q.getString("limits.plan"));
                });
        try (SmtpClient c = session(null, user, password, 235)) {
            c.send("QUIT");
        }
        assertThat(given().auth().oauth2(operator()).get(ABUSE_API + "/audit?target=" + user).jsonPath()
                .getList("action", String.class)).contains("SUSPENSION_LIFTED", "SLOW_DOWN_LIFTED");
    }

    @Test
    void aLoginFromAnAddressTheDnsblListsIsASignal() throws Exception {
        String user = "listed-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "pw-" + UUID.randomUUID();
        createUser(user, password);
        // 127.0.0.2 is in bl.test; on 587 the listing only flags the AUTH (authenticated-action flag)
        try (SmtpClient c = session(E2eStack.LISTED_SOURCE, user, password, 235)) {
            c.send("QUIT");
        }
        JsonPath p = awaitSubscriber(user, "DNSBL listing at AUTH scored",
                s -> s.getMap("signals").containsKey("dnsbl_listed"));
        assertThat(p.getMap("signals")).containsOnlyKeys("dnsbl_listed");
        assertThat(p.getInt("score")).isEqualTo(20);
        assertThat(level(p)).isEqualTo("OBSERVE");
    }

    @Test
    void credentialStuffingThatSucceedsRaisesTheScore() throws Exception {
        String user = "stuffed-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "pw-" + UUID.randomUUID();
        createUser(user, password);
        // a burst of wrong guesses from several addresses (below every ban threshold), then the right password
        for (int i = 1; i <= 6; i++) {
            try (SmtpClient c = session("127.0.10." + (i % 3 + 1), user, "guess-" + i, 535)) {
                c.send("QUIT");
            }
        }
        try (SmtpClient c = session("127.0.10.9", user, password, 235)) {
            c.send("QUIT");
        }
        JsonPath p = awaitSubscriber(user, "credential stuffing scored",
                s -> s.getMap("signals").containsKey("credential_stuffing"));
        assertThat(((Number) p.getMap("signals").get("credential_stuffing")).intValue()).isGreaterThanOrEqualTo(6);
        assertThat(p.getInt("score")).isGreaterThanOrEqualTo(35);
    }
}
