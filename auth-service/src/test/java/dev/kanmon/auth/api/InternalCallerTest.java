package dev.kanmon.auth.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.kanmon.auth.support.Calls;
import dev.kanmon.auth.support.KeycloakTestUsers;
import dev.kanmon.auth.support.KeycloakTestUsers.TestUser;
import dev.kanmon.auth.support.ServiceTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Service identity on {@code /internal/*} (docs/service-identity.md), with real tokens of the running Keycloak: only a
 * token holding {@code kanmon-internal}/{@code internal-caller} (client kanmon-submission's service account) gets in;
 * without a credential a forged {@code clientIp} neither counts towards a ban nor spends quota.
 */
@QuarkusTest
class InternalCallerTest {

    @Inject
    MeterRegistry registry;

    private static final Map<String, Object> PASSWORD = Map.of("username", "alice", "password", "wrong",
            "clientIp", "192.0.2.1", "mechanism", "PLAIN");

    /** Every internal endpoint with a well-formed request. */
    private static void callEveryEndpoint(Supplier<RequestSpecification> as, int status) {
        as.get().contentType(ContentType.JSON).body(PASSWORD).post("/internal/v1/authenticate/password")
                .then().statusCode(status);
        as.get().contentType(ContentType.JSON)
                .body(Map.of("username", "alice", "challenge", "<1.1@x>", "digest", "0".repeat(32), "clientIp", "192.0.2.1"))
                .post("/internal/v1/authenticate/cram-md5").then().statusCode(status);
        as.get().contentType(ContentType.JSON).body(Map.of("username", "alice", "clientIp", "192.0.2.1"))
                .post("/internal/v1/authenticate/scram-sha-256/parameters").then().statusCode(status);
        as.get().contentType(ContentType.JSON)
                .body(Map.of("username", "alice", "authMessage", "n=alice,r=x", "clientProof", "AAAA", "clientIp", "192.0.2.1"))
                .post("/internal/v1/authenticate/scram-sha-256/proof").then().statusCode(status);
        as.get().contentType(ContentType.JSON)
                .body(Map.of("token", "not-a-token", "clientIp", "192.0.2.1", "mechanism", "OAUTHBEARER"))
                .post("/internal/v1/authenticate/token").then().statusCode(status);
        as.get().contentType(ContentType.JSON).body(Map.of("clientIp", "192.0.2.1"))
                .post("/internal/v1/authenticate/window").then().statusCode(status);
        as.get().contentType(ContentType.JSON).body(Map.of("username", "alice", "escrow", false))
                .post("/internal/v1/quota/sessions").then().statusCode(status);
        as.get().contentType(ContentType.JSON).body(Map.of("username", "alice", "messages", 0, "recipients", 0))
                .post("/internal/v1/quota/consume").then().statusCode(status);
        as.get().delete("/internal/v1/quota/sessions/" + UUID.randomUUID()).then().statusCode(status == 200 ? 204 : status);
    }

    @Test
    void withoutAValidCredentialEveryInternalEndpointIs401() {
        callEveryEndpoint(() -> given(), 401);
        callEveryEndpoint(() -> given().header("Authorization", "Bearer not.a.jwt"), 401);
        // a real token of the realm, its signature broken
        String token = ServiceTokens.submission();
        String forged = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        callEveryEndpoint(() -> given().auth().oauth2(forged), 401);
        // not a bearer token at all
        callEveryEndpoint(() -> given().auth().preemptive().basic("kanmon-submission", "kanmon-submission-secret"), 401);
    }

    @Test
    void tokensWithoutTheInternalCallerRoleAre403() {
        // a subscriber's own token (audience kanmon, as OAUTHBEARER uses it)
        String subscriber = KeycloakTestUsers.token("alice", "alice-secret");
        callEveryEndpoint(() -> given().auth().oauth2(subscriber), 403);
        // an operator's and an administrator's: operators use the admin API, not the SMTP path
        String admin = KeycloakTestUsers.token("admin", "admin-secret");
        callEveryEndpoint(() -> given().auth().oauth2(admin), 403);
        // other service accounts of the realm: the auth-service's own (credential-verifier) and kanmon-admin's
        String authService = ServiceTokens.clientToken("smtp-submission", "smtp-submission-secret");
        callEveryEndpoint(() -> given().auth().oauth2(authService), 403);
        String adminClient = ServiceTokens.clientToken("kanmon-admin", "kanmon-admin-secret");
        callEveryEndpoint(() -> given().auth().oauth2(adminClient), 403);
    }

    @Test
    void theSubmissionServiceTokenGetsIn() {
        callEveryEndpoint(ServiceTokens::internal, 200);
        Calls.password("alice", "alice-secret", KeycloakTestUsers.uniqueIp()).body("outcome", equalTo("SUCCESS"));
    }

    @Test
    void aForgedClientAddressWithoutCredentialCountsNoFailureAndBansNobody() {
        TestUser user = KeycloakTestUsers.create("forged");
        try {
            String victim = KeycloakTestUsers.uniqueIp();
            double checksBefore = Calls.keycloakChecks(registry);
            String subscriber = KeycloakTestUsers.token("alice", "alice-secret");
            for (int i = 0; i < 40; i++) {
                Map<String, Object> guess = Map.of("username", user.username(), "password", "guess-" + i,
                        "clientIp", victim, "mechanism", "PLAIN");
                given().contentType(ContentType.JSON).body(guess).post("/internal/v1/authenticate/password")
                        .then().statusCode(401);
                given().auth().oauth2(subscriber).contentType(ContentType.JSON).body(guess)
                        .post("/internal/v1/authenticate/password").then().statusCode(403);
            }
            // nothing reached the password check: no Keycloak check, no failure, no ban of the pair or the address
            assertThat(Calls.keycloakChecks(registry)).isEqualTo(checksBefore);
            String operator = KeycloakTestUsers.token("operator", "operator-secret");
            List<Map<String, Object>> bans = given().auth().oauth2(operator).get("/api/v1/bans")
                    .then().statusCode(200).extract().jsonPath().getList("$");
            assertThat(bans).noneSatisfy(b -> assertThat(b).containsEntry("address", victim));
            // the subscriber still logs in from that address
            Calls.password(user.username(), user.password(), victim).body("outcome", equalTo("SUCCESS"));
        } finally {
            KeycloakTestUsers.delete(user);
        }
    }

    @Test
    void quotaCallsWithoutCredentialSpendNothing() {
        String user = "forged-quota-" + UUID.randomUUID();
        String admin = KeycloakTestUsers.token("admin", "admin-secret");
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"messagesPerMinute\":5,\"messagesPerHour\":50,\"messagesPerDay\":1,"
                        + "\"recipientsPerMessage\":10,\"recipientsPerDay\":20,\"concurrentSessions\":1}")
                .put("/api/v1/quota/plans/one-" + user).then().statusCode(200);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"plan\":\"one-" + user + "\"}")
                .put("/api/v1/quota/subscribers/" + user).then().statusCode(200);
        String consume = "{\"username\":\"" + user + "\",\"messages\":1,\"recipients\":1}";
        String subscriber = KeycloakTestUsers.token("alice", "alice-secret");
        for (int i = 0; i < 5; i++) {
            given().contentType(ContentType.JSON).body(consume).post("/internal/v1/quota/consume").then().statusCode(401);
            given().auth().oauth2(subscriber).contentType(ContentType.JSON).body(consume)
                    .post("/internal/v1/quota/consume").then().statusCode(403);
            given().contentType(ContentType.JSON).body("{\"username\":\"" + user + "\",\"escrow\":true}")
                    .post("/internal/v1/quota/sessions").then().statusCode(401);
        }
        // the one message of the day is still there for the real caller, and then it is gone
        ServiceTokens.internal().contentType(ContentType.JSON).body(consume).post("/internal/v1/quota/consume")
                .then().statusCode(200).body("allowed", equalTo(true));
        ServiceTokens.internal().contentType(ContentType.JSON).body(consume).post("/internal/v1/quota/consume")
                .then().statusCode(200).body("allowed", equalTo(false));
    }
}
