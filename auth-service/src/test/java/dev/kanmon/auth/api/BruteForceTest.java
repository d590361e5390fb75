package dev.kanmon.auth.api;

import static dev.kanmon.auth.support.ServiceTokens.internal;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.kanmon.auth.config.AuthConfig;
import dev.kanmon.auth.support.Calls;
import dev.kanmon.auth.support.KeycloakTestUsers;
import dev.kanmon.auth.support.KeycloakTestUsers.TestUser;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Bans per (address, login) pair and per address on a spread of logins, against the real Keycloak and PostgreSQL,
 * and the operators' ban API.
 */
@QuarkusTest
class BruteForceTest {

    @Inject
    MeterRegistry registry;

    @Inject
    AuthConfig config;

    @Test
    void fortyFailuresForOneLoginBanThatPairOnlyNotTheLoginElsewhereNorTheAddress() {
        int p = config.bruteForce().pairThreshold();
        TestUser user = KeycloakTestUsers.create("pair");
        try {
            String addressA = KeycloakTestUsers.uniqueIp();
            String addressB = KeycloakTestUsers.uniqueIp();
            double checksBefore = Calls.keycloakChecks(registry);
            double pairBansBefore = count("kanmon.auth.bans.set", "pair");
            for (int i = 0; i < 40; i++) {
                ExtractableResponse<Response> r = Calls.password(user.username(), "guess-" + i, addressA).extract();
                // the first p reach Keycloak and fail; from then on the pair is banned without any I/O
                assertThat(r.jsonPath().getInt("reply.code")).isEqualTo(i < p ? 535 : 454);
            }
            assertThat(Calls.keycloakChecks(registry) - checksBefore).isEqualTo(p);
            assertThat(count("kanmon.auth.bans.set", "pair") - pairBansBefore).isEqualTo(1);

            // A stays banned for this login, even with the right password (the same reply as any ban)...
            Calls.password(user.username(), user.password(), addressA)
                    .body("outcome", equalTo("TEMPFAIL"))
                    .body("reply.code", equalTo(454))
                    .body("reply.enhanced", equalTo("4.7.0"))
                    .body("reply.text", equalTo("Too many failed authentications, try again later"));
            // ...whatever case the client writes it in
            Calls.password(user.username().toUpperCase(Locale.ROOT), user.password(), addressA)
                    .body("reply.code", equalTo(454));
            // but the subscriber logs in from B, and other subscribers still log in from A.
            Calls.password(user.username(), user.password(), addressB).body("outcome", equalTo("SUCCESS"));
            Calls.password("alice", "alice-secret", addressA).body("outcome", equalTo("SUCCESS"));
        } finally {
            KeycloakTestUsers.delete(user);
        }
    }

    @Test
    void failuresFromManyAddressesNeverRefuseTheRightPasswordFromAnAddressThatDidNotFail() {
        int p = config.bruteForce().pairThreshold();
        TestUser user = KeycloakTestUsers.create("spread");
        try {
            // CRAM-MD5 is checked against app passwords only, so these failures count here and never reach Keycloak
            // (whose own per-user lockout is the realm's separate rule, docs/authentication.md). 60 failures in all:
            // twice the old per-user threshold.
            for (int i = 0; i < 40; i++) {
                cramMd5(user.username(), KeycloakTestUsers.uniqueIp()).body("reply.code", equalTo(535));
            }
            String attacker = KeycloakTestUsers.uniqueIp();
            for (int i = 0; i < p + 10; i++) {
                cramMd5(user.username(), attacker).body("reply.code", equalTo(i < p ? 535 : 454));
            }
            Calls.password(user.username(), user.password(), attacker).body("reply.code", equalTo(454));
            Calls.password(user.username(), user.password(), KeycloakTestUsers.uniqueIp())
                    .body("outcome", equalTo("SUCCESS"));
        } finally {
            KeycloakTestUsers.delete(user);
        }
    }

    @Test
    void manyDistinctLoginsFromOneAddressBanTheAddressForEveryone() {
        int n = config.bruteForce().addressLoginsThreshold();
        String ip = KeycloakTestUsers.uniqueIp();
        double checksBefore = Calls.keycloakChecks(registry);
        double addressBansBefore = count("kanmon.auth.bans.set", "address");
        int banned = 0;
        for (int i = 0; i < 200; i++) {
            // A different login each time: no pair ever fails twice, the spread of logins alone must stop this.
            ExtractableResponse<Response> r = Calls.password("victim-" + i + "-" + UUID.randomUUID(), "guess" + i, ip)
                    .extract();
            if (r.jsonPath().getInt("reply.code") == 454) {
                assertThat(r.jsonPath().getString("reply.text"))
                        .isEqualTo("Too many failed authentications, try again later");
                banned++;
            } else {
                assertThat(r.jsonPath().getInt("reply.code")).isEqualTo(535);
            }
        }
        // N = address-logins-threshold: sequential attempts stop exactly there.
        assertThat(Calls.keycloakChecks(registry) - checksBefore).isEqualTo(n);
        assertThat(banned).isEqualTo(200 - n);
        assertThat(count("kanmon.auth.bans.set", "address") - addressBansBefore).isEqualTo(1);

        // Everyone is refused from there, the right password too, still without asking Keycloak...
        Calls.password("alice", "alice-secret", ip).body("reply.code", equalTo(454));
        assertThat(Calls.keycloakChecks(registry) - checksBefore).isEqualTo(n);
        // ...and nobody anywhere else.
        Calls.password("alice", "alice-secret", KeycloakTestUsers.uniqueIp()).body("outcome", equalTo("SUCCESS"));
    }

    @Test
    void ipv6AddressesCountByTheirSlash64() {
        int p = config.bruteForce().pairThreshold();
        String login = "v6-" + UUID.randomUUID();
        String site = "2001:db8:" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
        for (int i = 1; i <= p; i++) {
            // every guess from another address of the same /64
            Calls.password(login, "guess", site + ":7::" + Integer.toHexString(i)).body("reply.code", equalTo(535));
        }
        Calls.password(login, "guess", site + ":7:abcd:0:0:1").body("reply.code", equalTo(454));
        Calls.password(login, "guess", site + ":8::1").body("reply.code", equalTo(535));
    }

    @Test
    void operatorsSeeTheKindAndLiftEither() {
        TestUser user = KeycloakTestUsers.create("lift");
        try {
            int p = config.bruteForce().pairThreshold();
            int n = config.bruteForce().addressLoginsThreshold();
            String sprayed = KeycloakTestUsers.uniqueIp();
            for (int i = 0; i < n; i++) {
                Calls.password("nobody-" + UUID.randomUUID(), "x", sprayed);
            }
            String login = user.username();
            String guessed = KeycloakTestUsers.uniqueIp();
            for (int i = 0; i < p; i++) {
                Calls.password(login.toUpperCase(Locale.ROOT), "guess-" + i, guessed);
            }
            Calls.password("alice", "alice-secret", sprayed).body("reply.code", equalTo(454));
            Calls.password(login, user.password(), guessed).body("reply.code", equalTo(454));
            Calls.password("bob", "bob-secret", guessed).body("outcome", equalTo("SUCCESS"));

            given().get("/api/v1/bans").then().statusCode(401);
            String subscriber = KeycloakTestUsers.token("alice", "alice-secret");
            given().auth().oauth2(subscriber).get("/api/v1/bans").then().statusCode(403);
            given().auth().oauth2(subscriber)
                    .delete("/api/v1/bans/pair?address=" + guessed + "&login=" + login).then().statusCode(403);

            String operator = KeycloakTestUsers.token("operator", "operator-secret");
            List<Map<String, Object>> bans = given().auth().oauth2(operator).get("/api/v1/bans")
                    .then().statusCode(200).extract().jsonPath().getList("$");
            assertThat(bans).anySatisfy(b -> {
                assertThat(b).containsEntry("kind", "address").containsEntry("address", sprayed)
                        .containsEntry("login", null)
                        .containsEntry("logins", n);
            });
            assertThat(bans).anySatisfy(b -> {
                assertThat(b).containsEntry("kind", "pair").containsEntry("address", guessed)
                        .containsEntry("login", login)
                        .containsEntry("failures", p).containsEntry("logins", 1);
            });
            given().auth().oauth2(KeycloakTestUsers.token("admin", "admin-secret")).get("/api/v1/bans")
                    .then().statusCode(200);
            // every replica's gauge shows the cluster's active bans after its next refresh
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(activeBans("pair")).isGreaterThanOrEqualTo(1);
                assertThat(activeBans("address")).isGreaterThanOrEqualTo(1);
            });

            given().auth().oauth2(operator).delete("/api/v1/bans/pair?address=" + guessed).then().statusCode(400);
            given().auth().oauth2(operator)
                    .queryParam("address", guessed).queryParam("login", login.toUpperCase(Locale.ROOT))
                    .delete("/api/v1/bans/pair").then().statusCode(204);
            given().auth().oauth2(operator).queryParam("address", guessed).queryParam("login", login)
                    .delete("/api/v1/bans/pair").then().statusCode(404);
            Calls.password(login, user.password(), guessed).body("outcome", equalTo("SUCCESS"));

            given().auth().oauth2(operator).delete("/api/v1/bans/address?address=" + sprayed).then().statusCode(204);
            given().auth().oauth2(operator).delete("/api/v1/bans/address?address=" + sprayed).then().statusCode(404);
            Calls.password("alice", "alice-secret", sprayed).body("outcome", equalTo("SUCCESS"));
            List<Map<String, Object>> after = given().auth().oauth2(operator).get("/api/v1/bans")
                    .then().statusCode(200).extract().jsonPath().getList("$");
            assertThat(after).noneSatisfy(b -> assertThat(b.get("address")).isIn(sprayed, guessed));
        } finally {
            KeycloakTestUsers.delete(user);
        }
    }

    /** A CRAM-MD5 answer that matches no app password. */
    private static ValidatableResponse cramMd5(String login, String ip) {
        return internal().contentType(ContentType.JSON)
                .body(Map.of("username", login, "challenge", "<1.1700000000@relay.example.test>",
                        "digest", "00000000000000000000000000000000", "clientIp", ip))
                .post("/internal/v1/authenticate/cram-md5").then().statusCode(200);
    }

    private double activeBans(String kind) {
        return registry.get("kanmon.auth.bans.active").tag("kind", kind).gauge().value();
    }

    private double count(String name, String kind) {
        return registry.find(name).tag("kind", kind).counters().stream().mapToDouble(Counter::count).sum();
    }
}
