package dev.kanmon.queue;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import dev.kanmon.core.queue.Envelope;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** The operator API against the real Keycloak realm (password-grant tokens from the public client kanmon-cli). */
@QuarkusTest
class QueueApiTest {

    static String token(String user, String password) {
        String realm = ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class);
        return given().formParam("grant_type", "password").formParam("client_id", "kanmon-cli")
                .formParam("username", user).formParam("password", password)
                .post(realm + "/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    @Test
    void withoutTokenIs401() {
        given().get("/api/v1/queue/stats").then().statusCode(401);
        given().get("/api/v1/queue/messages").then().statusCode(401);
    }

    @Test
    void userWithoutRoleIs403() {
        given().auth().oauth2(token("alice", "alice-secret")).get("/api/v1/queue/stats").then().statusCode(403);
    }

    @Test
    void operatorSeesStatistics() {
        given().auth().oauth2(token("operator", "operator-secret")).get("/api/v1/queue/stats")
                .then().statusCode(200)
                .body("recipientsByState.queued", notNullValue())
                .body("recipientsByState.held", notNullValue());
    }

    @Test
    void operatorListsInspectsHoldsAndReleases() throws Exception {
        String operator = token("operator", "operator-secret");
        Envelope env = Messages.waiting("alice@example.test", "alice", "x@dest.test", "y@nomx.test");
        TestKafka.submit(env, Messages.body("api"));
        String id = env.queueId();
        ResultsTest.awaitStored(id, 2);

        given().auth().oauth2(operator)
                .queryParam("sender", "Alice@example.test").queryParam("user", "alice")
                .queryParam("domain", "nomx.test").queryParam("state", "deferred").queryParam("size", "1000")
                .get("/api/v1/queue/messages")
                .then().statusCode(200).body("messages.queueId", hasItem(id));
        given().auth().oauth2(operator).queryParam("state", "nonsense").get("/api/v1/queue/messages")
                .then().statusCode(400);

        given().auth().oauth2(operator).get("/api/v1/queue/messages/" + id)
                .then().statusCode(200)
                .body("queueId", equalTo(id))
                .body("envelope.envid", equalTo(env.envid()))
                .body("recipients.address", hasItem("y@nomx.test"));

        given().auth().oauth2(operator).post("/api/v1/queue/messages/" + id + "/hold")
                .then().statusCode(200).body("recipients", equalTo(2));
        assertThat(TestDb.states(id)).containsOnly(Map.entry("x@dest.test", "held"), Map.entry("y@nomx.test", "held"));

        given().auth().oauth2(operator).post("/api/v1/queue/messages/" + id + "/release")
                .then().statusCode(200).body("recipients", equalTo(2));
        // released recipients are due at once: the scheduler publishes them
        assertThat(ResultsTest.awaitRequests(id, 2)).extracting(r -> r.domain())
                .containsExactlyInAnyOrder("dest.test", "nomx.test");
        given().auth().oauth2(operator).get("/api/v1/queue/messages/UNKNOWN").then().statusCode(404);
    }

    @Test
    void operatorBouncesAndOnlyAdminDeletes() throws Exception {
        String operator = token("operator", "operator-secret");
        Envelope env = Messages.waiting("alice@example.test", "alice", "x@dest.test", "y@nomx.test");
        TestKafka.submit(env, Messages.body("api bounce"));
        String id = env.queueId();
        ResultsTest.awaitStored(id, 2);

        given().auth().oauth2(operator).post("/api/v1/queue/messages/" + id + "/bounce")
                .then().statusCode(200).body("recipients", equalTo(2));
        assertThat(TestDb.states(id)).containsOnly(Map.entry("x@dest.test", "bounced"), Map.entry("y@nomx.test", "bounced"));
        await().atMost(Duration.ofSeconds(60)).until(() -> ResultsTest.dsnFor(id) != null);

        given().auth().oauth2(operator).delete("/api/v1/queue/messages/" + id).then().statusCode(403);
        given().auth().oauth2(token("admin", "admin-secret")).delete("/api/v1/queue/messages/" + id)
                .then().statusCode(200);
        given().auth().oauth2(operator).get("/api/v1/queue/messages/" + id).then().statusCode(404);
        assertThat(TestDb.count("select count(*) from queue.recipient where queue_id = ?", id)).isZero();
    }
}
