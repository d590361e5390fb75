package dev.kanmon.auth.abuse;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kanmon.auth.support.Calls;
import dev.kanmon.core.abuse.AbuseAction;
import dev.kanmon.core.abuse.AbuseEvent;
import dev.kanmon.core.abuse.LoginObservation;
import dev.kanmon.core.queue.WireCodec;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The auth-service's side of the abuse automation against the real Kafka, PostgreSQL and Keycloak: each decided
 * credential check is published on the (test) logins topic, and the decisions of the (test) abuse topic are applied
 * with the plan override and the quota suspension.
 */
@QuarkusTest
class AbuseLinkTest {

    private static final String LOGINS = "test.relay.logins.v1";
    private static final String EVENTS = "test.relay.abuse.v1";

    private static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kanmon.auth.abuse.bootstrap-servers", String.class);
    }

    private static String operator() {
        String issuer = ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class);
        return given().contentType(ContentType.URLENC).formParam("grant_type", "password")
                .formParam("client_id", "kanmon-cli").formParam("username", "admin")
                .formParam("password", "admin-secret").post(issuer + "/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    private static List<LoginObservation> observationsFrom(String clientIp) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<LoginObservation> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            var partitions = c.partitionsFor(LOGINS).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(i.topic(), i.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            var end = c.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    LoginObservation o = WireCodec.decode(r.value(), LoginObservation.class);
                    if (clientIp.equals(o.clientIp())) {
                        out.add(o);
                    }
                }
            }
        }
        return out;
    }

    private static void decide(String user, AbuseAction action, String plan) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(EVENTS, user, WireCodec.encode(new AbuseEvent(7, Instant.now(), user,
                    action, "abuse-automation", true, "test", 90, Map.of("new_network", 1.0), plan)))).get();
        }
    }

    private static JsonPath limits(String token, String user) {
        return given().auth().oauth2(token).get("/api/v1/quota/subscribers/" + user).then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void everyDecidedCheckIsPublishedWithTheClientAddress() {
        String ip = "192.0.2." + (10 + (int) (Math.random() * 200));
        Calls.password("alice", "alice-secret", ip).body("outcome", org.hamcrest.Matchers.equalTo("SUCCESS"));
        Calls.password("alice", "wrong-" + UUID.randomUUID(), ip)
                .body("outcome", org.hamcrest.Matchers.equalTo("FAILURE"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(observationsFrom(ip))
                .extracting(LoginObservation::username, LoginObservation::outcome, LoginObservation::email)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("alice", "SUCCESS", "alice@example.test"),
                        org.assertj.core.groups.Tuple.tuple("alice", "FAILURE", null)));
    }

    @Test
    void aRepeatedSuccessFromTheSameAddressIsPublishedOnceUntilWrongCredentialsComeInBetween() {
        String ip = uniqueAddress();
        for (int i = 0; i < 3; i++) {
            Calls.password("alice", "alice-secret", ip).body("outcome", org.hamcrest.Matchers.equalTo("SUCCESS"));
        }
        Calls.password("alice", "wrong-" + UUID.randomUUID(), ip).body("outcome", org.hamcrest.Matchers.equalTo("FAILURE"));
        Calls.password("alice", "alice-secret", ip).body("outcome", org.hamcrest.Matchers.equalTo("SUCCESS"));
        Calls.password("alice", "alice-secret", ip).body("outcome", org.hamcrest.Matchers.equalTo("SUCCESS"));
        // first success, the failure, and the success after it (stuffing must see it); the other three repeat
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(observationsFrom(ip))
                .extracting(LoginObservation::outcome)
                .containsExactlyInAnyOrder("SUCCESS", "FAILURE", "SUCCESS"));
    }

    /** An address of 2001:db8::/32 no earlier run published (the test topic keeps them). */
    private static String uniqueAddress() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        return "2001:db8:d45b:" + Integer.toHexString(r.nextInt(1, 0x10000)) + ":" + Integer.toHexString(
                r.nextInt(1, 0x10000)) + ":" + Integer.toHexString(r.nextInt(1, 0x10000)) + ":1:1";
    }

    @Test
    void theDnsblVerdictAtAuthReachesTheObservation() {
        String ip = uniqueAddress();
        Calls.passwordScreened("alice", "alice-secret", ip, List.of("bl.test: listed for testing"))
                .body("outcome", org.hamcrest.Matchers.equalTo("SUCCESS"));
        Calls.passwordScreened("alice", "wrong-" + UUID.randomUUID(), ip, List.of())
                .body("outcome", org.hamcrest.Matchers.equalTo("FAILURE"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(observationsFrom(ip))
                .extracting(LoginObservation::outcome, LoginObservation::dnsblListings)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("SUCCESS", List.of("bl.test: listed for testing")),
                        org.assertj.core.groups.Tuple.tuple("FAILURE", List.of())));
        // a caller that did not check (or predates the field): not checked, not "not listed"
        String unchecked = uniqueAddress();
        Calls.password("alice", "alice-secret", unchecked);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(observationsFrom(unchecked))
                .singleElement().satisfies(o -> assertThat(o.dnsblListings()).isNull()));
    }

    @Test
    void slowDownAndSuspensionAreAppliedAndUndone() throws Exception {
        String token = operator();
        String user = "abuse-link-" + UUID.randomUUID().toString().substring(0, 8);
        String before = limits(token, user).getString("limits.plan");

        decide(user, AbuseAction.SLOW_DOWN, "abuse-slowdown");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "abuse-slowdown".equals(limits(token, user).getString("limits.plan")));
        assertThat(limits(token, user).getInt("limits.messagesPerMinute")).isEqualTo(10);

        decide(user, AbuseAction.SUSPEND, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> limits(token, user).getBoolean("limits.suspended"));
        assertThat(limits(token, user).getString("limits.suspendedReason"))
                .isEqualTo("suspected account takeover (abuse record 7), contact the abuse desk");

        decide(user, AbuseAction.SUSPENSION_LIFTED, null);
        decide(user, AbuseAction.SLOW_DOWN_LIFTED, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonPath l = limits(token, user);
            return !l.getBoolean("limits.suspended") && before.equals(l.getString("limits.plan"));
        });
    }
}
