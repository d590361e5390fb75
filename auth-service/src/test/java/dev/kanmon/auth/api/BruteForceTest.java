package dev.kanmon.auth.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.kanmon.auth.config.AuthConfig;
import dev.kanmon.auth.support.Calls;
import dev.kanmon.auth.support.KeycloakTestUsers;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** fail2ban-like bans against the real Keycloak and PostgreSQL, and the operators' ban API. */
@QuarkusTest
class BruteForceTest {

    @Inject
    MeterRegistry registry;

    @Inject
    AuthConfig config;

    @Test
    void twoHundredWrongPasswordsFromOneAddressReachKeycloakAtMostIpThresholdTimes() {
        int n = config.bruteForce().ipThreshold();
        String ip = KeycloakTestUsers.uniqueIp();
        double before = Calls.keycloakChecks(registry);
        int banned = 0;
        for (int i = 0; i < 200; i++) {
            // A different user name each time: the per-IP counter alone must stop the attack.
            ExtractableResponse<Response> r = Calls.password("victim-" + i + "-" + UUID.randomUUID(), "guess" + i, ip)
                    .extract();
            if (r.jsonPath().getInt("reply.code") == 454) {
                assertThat(r.jsonPath().getString("reply.enhanced")).isEqualTo("4.7.0");
                assertThat(r.jsonPath().getString("reply.text")).contains("Too many failed authentications");
                banned++;
            } else {
                assertThat(r.jsonPath().getInt("reply.code")).isEqualTo(535);
            }
        }
        double keycloakCalls = Calls.keycloakChecks(registry) - before;
        // N = kanmon.auth.brute-force.ip-threshold (10 by default): sequential attempts stop exactly there.
        assertThat(keycloakCalls).isLessThanOrEqualTo(n);
        assertThat(banned).isEqualTo(200 - n);

        // Even the right password is refused from a banned address, still without asking Keycloak.
        Calls.password("alice", "alice-secret", ip).body("reply.code", equalTo(454));
        assertThat(Calls.keycloakChecks(registry) - before).isLessThanOrEqualTo(n);

        // Another address is unaffected.
        Calls.password("alice", "alice-secret", KeycloakTestUsers.uniqueIp()).body("outcome", equalTo("SUCCESS"));
    }

    @Test
    void usernameIsBannedAcrossAddresses() {
        String user = "target-" + UUID.randomUUID();
        for (int i = 0; i < config.bruteForce().userThreshold(); i++) {
            Calls.password(user, "guess" + i, KeycloakTestUsers.uniqueIp()).body("reply.code", equalTo(535));
        }
        double before = Calls.keycloakChecks(registry);
        Calls.password(user, "one-more", KeycloakTestUsers.uniqueIp()).body("reply.code", equalTo(454));
        assertThat(Calls.keycloakChecks(registry)).isEqualTo(before);
    }

    @Test
    void operatorsListAndLiftBans() {
        String ip = KeycloakTestUsers.uniqueIp();
        for (int i = 0; i < config.bruteForce().ipThreshold(); i++) {
            Calls.password("nobody-" + UUID.randomUUID(), "x", ip);
        }
        Calls.password("alice", "alice-secret", ip).body("reply.code", equalTo(454));

        given().get("/api/v1/bans").then().statusCode(401);
        given().auth().oauth2(KeycloakTestUsers.token("alice", "alice-secret")).get("/api/v1/bans").then().statusCode(403);

        String operator = KeycloakTestUsers.token("operator", "operator-secret");
        given().auth().oauth2(operator).get("/api/v1/bans")
                .then().statusCode(200).body("value", hasItem(ip));
        given().auth().oauth2(KeycloakTestUsers.token("admin", "admin-secret")).get("/api/v1/bans")
                .then().statusCode(200).body("value", hasItem(ip));

        given().auth().oauth2(operator).delete("/api/v1/bans/ip/" + ip).then().statusCode(204);
        given().auth().oauth2(operator).delete("/api/v1/bans/ip/" + ip).then().statusCode(404);
        given().auth().oauth2(operator).get("/api/v1/bans").then().statusCode(200).body("value", not(hasItem(ip)));
        Calls.password("alice", "alice-secret", ip).body("outcome", equalTo("SUCCESS"));
    }
}
