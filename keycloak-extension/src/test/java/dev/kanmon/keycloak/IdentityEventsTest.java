package dev.kanmon.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code kanmon-relay} event listener of the running Keycloak publishes identity changes to Kafka. */
class IdentityEventsTest {

    private static final Pattern CHANGE = Pattern.compile("\"change\":\"([A-Z_]+)\"");
    private static final String TOPIC = System.getProperty("kanmon.identity.topic", "relay.identity.v1");

    private KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new CopyOnWriteArrayList<>();
    private Realm.User user;

    @BeforeEach
    void subscribe() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, System.getProperty("kanmon.kafka.bootstrap", "127.0.0.1:19092"));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "kcx-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(TOPIC));
        // join the group and get the partitions assigned before the changes happen
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(200));
            return !consumer.assignment().isEmpty();
        });
        user = Realm.create("kcx-ev", Map.of(), List.of());
    }

    @AfterEach
    void close() {
        consumer.close();
    }

    private List<String> changesOf(String key, int atLeast) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            return seen.stream().filter(r -> key.equals(r.key())).count() >= atLeast;
        });
        return seen.stream().filter(r -> key.equals(r.key())).map(ConsumerRecord::value).toList();
    }

    private static String change(String json) {
        Matcher m = CHANGE.matcher(json);
        return m.find() ? m.group(1) : json;
    }

    @Test
    void passwordResetDisableAndDeleteArePublishedKeyedByUserId() {
        Realm.resetPassword(user, "pw-" + UUID.randomUUID());
        Realm.update(user, Map.of("enabled", false));
        Realm.delete(user);
        List<String> values = changesOf(user.id(), 4);
        assertThat(values).allSatisfy(v -> assertThat(v).contains("\"userId\":\"" + user.id() + "\"")
                .contains("\"realm\":\"kanmon\""));
        // the creation (in @BeforeEach), reset-password, the update of the enabled flag, the deletion
        assertThat(values.stream().map(IdentityEventsTest::change).toList()).containsExactly(
                "ADMIN_USER_CREATE", "ADMIN_USER_ACTION", "ADMIN_USER_UPDATE", "ADMIN_USER_DELETE");
    }

    /** The local stack runs the listener with {@code publish-logins=true} (bin/kanmon-stack). */
    @Test
    void successfulLoginsArePublishedWithUserNameAndAddressAndFailedOnesNot() {
        Realm.passwordGrant(user.username(), "wrong").then().statusCode(401);
        Realm.passwordGrant(user.username(), user.password()).then().statusCode(200);
        Realm.delete(user);
        List<String> values = changesOf(user.id(), 3);
        assertThat(values.stream().map(IdentityEventsTest::change).toList())
                .containsExactly("ADMIN_USER_CREATE", "LOGIN", "ADMIN_USER_DELETE");
        assertThat(values.get(1)).contains("\"username\":\"" + user.username() + "\"")
                .contains("\"ipAddress\":\"127.0.0.1\"");
        // changes of the user carry no login details
        assertThat(values.get(2)).doesNotContain("ipAddress").doesNotContain("username");
    }

    @Test
    void groupMembershipChangesArePublished() {
        String admin = Realm.adminToken();
        String group = io.restassured.RestAssured.given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("name", "kcx-plan-" + UUID.randomUUID(), "attributes", Map.of("smtpPlan", List.of("gold"))))
                .post(Realm.URL + "/admin/realms/kanmon/groups").then().statusCode(201).extract().header("Location");
        String groupId = group.substring(group.lastIndexOf('/') + 1);
        try {
            io.restassured.RestAssured.given().auth().oauth2(admin)
                    .put(Realm.USERS + "/" + user.id() + "/groups/" + groupId).then().statusCode(204);
            assertThat(changesOf(user.id(), 2).stream().map(IdentityEventsTest::change))
                    .containsExactly("ADMIN_USER_CREATE", "ADMIN_GROUP_MEMBERSHIP_CREATE");
            io.restassured.RestAssured.given().auth().oauth2(admin).delete(group).then().statusCode(204);
            assertThat(changesOf(IdentityChange.ALL_USERS, 1).stream().map(IdentityEventsTest::change))
                    .contains("ADMIN_GROUP_DELETE");
        } finally {
            Realm.delete(user);
        }
    }
}
