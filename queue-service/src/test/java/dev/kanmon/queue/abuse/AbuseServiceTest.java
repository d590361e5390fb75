package dev.kanmon.queue.abuse;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kanmon.core.abuse.AbuseEvent;
import dev.kanmon.core.abuse.LoginObservation;
import dev.kanmon.core.queue.BodyType;
import dev.kanmon.core.queue.Envelope;
import dev.kanmon.core.queue.EnvelopeRecipient;
import dev.kanmon.core.queue.QueueId;
import dev.kanmon.core.queue.WireCodec;
import dev.kanmon.queue.Messages;
import dev.kanmon.queue.TestDb;
import dev.kanmon.queue.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The abuse automation inside the queue-service against the real Kafka, PostgreSQL and Keycloak: login observations
 * and submitted messages on the test topics, the decisions on {@code test.relay.abuse.v1}, held messages in the
 * queue, the operator API's release, bounce and drop, and the audit record.
 */
@QuarkusTest
class AbuseServiceTest {

    private static final String LOGINS = "test.relay.logins.v1";
    private static final String EVENTS = "test.relay.abuse.v1";

    private static String operator() {
        String realm = ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class);
        return given().formParam("grant_type", "password").formParam("client_id", "kanmon-cli")
                .formParam("username", "operator").formParam("password", "operator-secret")
                .post(realm + "/protocol/openid-connect/token").then().statusCode(200).extract().path("access_token");
    }

    private static void login(String user, String ip) throws Exception {
        login(user, ip, null);
    }

    /** A successful login; {@code dnsbl} is what the DNSBL said of the address at AUTH (null: not checked). */
    private static void login(String user, String ip, List<String> dnsbl) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(LOGINS, user, WireCodec.encode(new LoginObservation(user,
                    user + "@example.test", ip, LoginObservation.SUCCESS, "PLAIN", Instant.now(), 300, dnsbl)))).get();
        }
    }

    /** A message of the user from the client address that waits a day (no delivery worker sees it). */
    private static Envelope message(String user, String ip, List<String> rcpts) {
        Envelope e = Messages.waiting(user + "@example.test", user, rcpts.toArray(String[]::new));
        return new Envelope(QueueId.next(), e.mailFrom(), rcpts.stream().map(EnvelopeRecipient::of).toList(), null,
                e.envid(), BodyType.SEVEN_BIT, false, user, ip, "client.example.test", "TLSv1.3",
                "TLS_AES_128_GCM_SHA256", Instant.now(), e.size(), 0, e.notBefore(), false);
    }

    private static JsonPath subscriber(String token, String user) {
        return given().auth().oauth2(token).get("/api/v1/abuse/subscribers/" + user).then().extract().jsonPath();
    }

    /** A user with a history from 192.0.2.0/24 who logs in from 198.51.100.0/24 and spreads mail from there: held. */
    private static String heldUser(String token) throws Exception {
        String user = "svc-abuse-" + UUID.randomUUID().toString().substring(0, 8);
        login(user, "192.0.2.10");
        await().atMost(Duration.ofSeconds(60)).until(() -> given().auth().oauth2(token)
                .get("/api/v1/abuse/subscribers/" + user).statusCode() == 200);
        login(user, "198.51.100.7");
        await().atMost(Duration.ofSeconds(60)).until(() -> subscriber(token, user).getInt("score") >= 30);
        List<String> spread = IntStream.rangeClosed(1, 12).mapToObj(i -> "rcpt@x" + i + ".spread.test").toList();
        TestKafka.submit(message(user, "198.51.100.7", spread), Messages.body("spread"));
        await().atMost(Duration.ofSeconds(60)).until(() -> subscriber(token, user).getBoolean("held"));
        return user;
    }

    @Test
    void spreadFromANewNetworkIsSlowedAndHeldAndTheReleaseDeliversWithEveryStepAudited() throws Exception {
        String token = operator();
        String user = heldUser(token);
        JsonPath s = subscriber(token, user);
        assertThat(s.getString("level")).isEqualTo("HOLD");
        assertThat(s.getBoolean("slowedDown")).isTrue();
        assertThat(s.getInt("score")).isEqualTo(62);
        assertThat(s.getMap("signals")).containsKeys("new_network", "recipient_domains");
        assertThat(s.getString("email")).isEqualTo(user + "@example.test");

        // the decisions are published for the auth-service and the abuse desk
        List<AbuseEvent> events = TestKafka.read(EVENTS, r -> user.equals(r.key())).stream()
                .map(r -> WireCodec.decode(r.value(), AbuseEvent.class)).toList();
        assertThat(events).extracting(e -> e.action().name()).containsExactly("SLOW_DOWN", "HOLD");
        assertThat(events.get(0).plan()).isEqualTo("abuse-slowdown");
        assertThat(events).allMatch(e -> e.automatic() && e.signals().containsKey("new_network"));

        // the next message is accepted into the queue but held
        Envelope held = message(user, "198.51.100.7", List.of("one@x1.spread.test", "two@x2.spread.test"));
        TestKafka.submit(held, Messages.body("held"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(TestDb.states(held.queueId()))
                .hasSize(2).containsValues("held").doesNotContainValue("deferred"));
        assertThat(subscriber(token, user).getList("heldMessages", String.class)).containsExactly(held.queueId());
        assertThat(given().auth().oauth2(token).get("/api/v1/abuse/subscribers?min-score=60").jsonPath()
                .getList("username", String.class)).contains(user);

        // releasing the hold makes the held recipients due now
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("reason", "false alarm"))
                .post("/api/v1/abuse/subscribers/" + user + "/hold/release").then().statusCode(200)
                .body("action", org.hamcrest.Matchers.equalTo("HOLD_RELEASED"))
                .body("actor", org.hamcrest.Matchers.equalTo("operator"));
        assertThat(TestDb.states(held.queueId()).values()).doesNotContain("held");
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of())
                .post("/api/v1/abuse/subscribers/" + user + "/hold/release").then().statusCode(404);

        // an operator action of the queue API is audited as well
        given().auth().oauth2(token).post("/api/v1/queue/messages/" + held.queueId() + "/hold").then().statusCode(200);
        List<Map<String, Object>> audit = given().auth().oauth2(token)
                .get("/api/v1/abuse/audit?target=" + held.queueId()).jsonPath().getList("");
        assertThat(audit).extracting(a -> a.get("action"), a -> a.get("actor"), a -> a.get("after"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("queue.hold", "operator", "2 recipient(s)"));

        List<Map<String, Object>> steps = given().auth().oauth2(token)
                .get("/api/v1/abuse/subscribers/" + user + "/actions").jsonPath().getList("");
        assertThat(steps).extracting(a -> a.get("action")).containsExactly("HOLD_RELEASED", "HOLD", "SLOW_DOWN");
        assertThat(steps.get(2).get("reason").toString()).startsWith("plan abuse-slowdown until ")
                .contains("score 62: new_network=1 (+30), recipient_domains=12 (+32)");
        assertThat(steps.get(1).get("before")).isEqualTo("slowed down");
        assertThat(steps.get(1).get("after")).isEqualTo("slowed down, held");
        assertThat(steps.get(0).get("reason").toString()).startsWith("false alarm; 2 held recipient(s) released");
    }

    @Test
    void aLoginFromADnsblListedAddressIsASignalBelowTheSlowDown() throws Exception {
        String token = operator();
        String user = "svc-dnsbl-" + UUID.randomUUID().toString().substring(0, 8);
        login(user, "192.0.2.10", List.of());
        await().atMost(Duration.ofSeconds(60)).until(() -> given().auth().oauth2(token)
                .get("/api/v1/abuse/subscribers/" + user).statusCode() == 200);
        assertThat(subscriber(token, user).getInt("score")).isZero();
        login(user, "192.0.2.11", List.of("bl.test: listed for testing"));
        await().atMost(Duration.ofSeconds(60)).until(() -> subscriber(token, user).getInt("score") == 20);
        JsonPath s = subscriber(token, user);
        assertThat(s.getMap("signals")).containsOnlyKeys("dnsbl_listed");
        assertThat(s.getString("level")).isEqualTo("OBSERVE");
        assertThat(s.getBoolean("slowedDown")).isFalse();
    }

    @Test
    void aRejectedHoldIsBouncedOrDropped() throws Exception {
        String token = operator();
        String bounced = heldUser(token);
        Envelope b = message(bounced, "198.51.100.7", List.of("one@x1.spread.test"));
        TestKafka.submit(b, Messages.body("to bounce"));
        await().atMost(Duration.ofSeconds(60)).until(() -> TestDb.states(b.queueId()).containsValue("held"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("reason", "spam"))
                .post("/api/v1/abuse/subscribers/" + bounced + "/hold/reject?mode=bounce").then().statusCode(200)
                .body("action", org.hamcrest.Matchers.equalTo("HOLD_REJECTED"));
        assertThat(TestDb.states(b.queueId())).containsValue("bounced");
        assertThat(TestDb.count("select count(*) from queue.recipient where queue_id = ? and enhanced_code = '5.7.1'",
                b.queueId())).isEqualTo(1);

        String dropped = heldUser(token);
        Envelope d = message(dropped, "198.51.100.7", List.of("one@x1.spread.test"));
        TestKafka.submit(d, Messages.body("to drop"));
        await().atMost(Duration.ofSeconds(60)).until(() -> TestDb.states(d.queueId()).containsValue("held"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of())
                .post("/api/v1/abuse/subscribers/" + dropped + "/hold/reject?mode=drop").then().statusCode(200);
        assertThat(TestDb.count("select count(*) from queue.message where queue_id = ?", d.queueId())).isZero();
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of())
                .post("/api/v1/abuse/subscribers/" + dropped + "/hold/reject?mode=shred").then().statusCode(400);
    }

    @Test
    void theApiIsForOperators() {
        given().get("/api/v1/abuse/subscribers").then().statusCode(401);
        String realm = ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class);
        String alice = given().formParam("grant_type", "password").formParam("client_id", "kanmon-cli")
                .formParam("username", "alice").formParam("password", "alice-secret")
                .post(realm + "/protocol/openid-connect/token").then().statusCode(200).extract().path("access_token");
        given().auth().oauth2(alice).get("/api/v1/abuse/audit").then().statusCode(403);
    }
}
