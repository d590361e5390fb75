package dev.kanmon.auth.window;

import static dev.kanmon.auth.support.ServiceTokens.internal;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.kanmon.auth.support.BoundLogin;
import dev.kanmon.auth.support.KeycloakTestUsers;
import dev.kanmon.auth.support.KeycloakTestUsers.TestUser;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Login-before-SMTP against the running stack's Keycloak (with the extension publishing logins), Kafka and
 * PostgreSQL: logins at Keycloak and reports of the mail store open a window that {@code /internal/v1/authenticate/window}
 * answers with the user, for that address only, until the window (4 s in tests) ends, and never for a shared address.
 */
@QuarkusTest
class LoginWindowTest {

    @Inject
    MeterRegistry registry;

    @Inject
    LoginWindowConfig config;

    private static ValidatableResponse window(String ip) {
        return internal().contentType(ContentType.JSON).body(Map.of("clientIp", ip))
                .post("/internal/v1/authenticate/window").then().statusCode(200);
    }

    private static void report(String token, TestUser user, String ip, int status) {
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("username", user.username(), "clientIp", ip, "service", "imap"))
                .post("/api/v1/login-windows").then().statusCode(status);
    }

    private static String operator() {
        return KeycloakTestUsers.token("operator", "operator-secret");
    }

    /** A loopback address no other test logs in from (Keycloak sees the TCP peer). */
    private static String loopback() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "127." + r.nextInt(100, 200) + "." + r.nextInt(1, 255) + "." + r.nextInt(1, 255);
    }

    @Test
    void keycloakLoginOpensAWindowForItsAddressOnlyAsThatUserUntilItEnds() throws Exception {
        TestUser user = KeycloakTestUsers.create("lw-kc");
        try {
            String from = loopback();
            assertThat(BoundLogin.passwordGrant(KeycloakTestUsers.keycloakUrl(), from, user.username(), user.password()))
                    .isEqualTo(200);
            // the extension's LOGIN event reaches this service through Kafka
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> "SUCCESS".equals(window(from).extract().path("outcome")));
            window(from).body("user", equalTo(user.username()))
                    .body("addresses", contains(user.email(), user.alias()))
                    .body("reply", nullValue());
            // another address, even next door, has no window
            window(from.substring(0, from.lastIndexOf('.') + 1) + "250").body("outcome", equalTo("FAILURE"))
                    .body("reply.code", equalTo(530)).body("reply.enhanced", equalTo("5.7.0"));
            // the window ends config.length() after the login
            Awaitility.await().atMost(config.length().plusSeconds(5)).pollInterval(Duration.ofMillis(250))
                    .until(() -> "FAILURE".equals(window(from).extract().path("outcome")));
        } finally {
            KeycloakTestUsers.delete(user);
        }
    }

    @Test
    void aFailedKeycloakLoginOpensNothing() throws Exception {
        TestUser user = KeycloakTestUsers.create("lw-bad");
        try {
            String from = loopback();
            assertThat(BoundLogin.passwordGrant(KeycloakTestUsers.keycloakUrl(), from, user.username(), "wrong"))
                    .isEqualTo(401);
            // a successful login elsewhere shows that the events flow; the failed one opened nothing meanwhile
            String elsewhere = loopback();
            BoundLogin.passwordGrant(KeycloakTestUsers.keycloakUrl(), elsewhere, user.username(), user.password());
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> "SUCCESS".equals(window(elsewhere).extract().path("outcome")));
            window(from).body("outcome", equalTo("FAILURE"));
        } finally {
            KeycloakTestUsers.delete(user);
        }
    }

    @Test
    void mailStoreReportOpensAWindowWithTheQuotaSessionWhenAskedFor() {
        TestUser user = KeycloakTestUsers.create("lw-imap");
        try {
            String ip = KeycloakTestUsers.uniqueIp();
            window(ip).body("outcome", equalTo("FAILURE"));
            report(operator(), user, ip, 204);
            window(ip).body("outcome", equalTo("SUCCESS")).body("user", equalTo(user.username()));
            internal().contentType(ContentType.JSON).body(Map.of("clientIp", ip, "session", Map.of("escrow", true)))
                    .post("/internal/v1/authenticate/window").then().statusCode(200)
                    .body("outcome", equalTo("SUCCESS")).body("session", notNullValue());
        } finally {
            KeycloakTestUsers.delete(user);
        }
    }

    @Test
    void anAddressTwoUsersLoggedInFromGrantsNothing() {
        TestUser alice = KeycloakTestUsers.create("lw-a");
        TestUser bob = KeycloakTestUsers.create("lw-b");
        try {
            String ip = KeycloakTestUsers.uniqueIp();
            String operator = operator();
            report(operator, alice, ip, 204);
            window(ip).body("user", equalTo(alice.username()));
            double shared = registry.counter("kanmon.auth.login.windows.lookups", "result", "shared").count();
            report(operator, bob, ip, 204);
            window(ip).body("outcome", equalTo("FAILURE")).body("user", nullValue());
            // alice logging in again does not make it hers: bob's login is still within the look-back
            report(operator, alice, ip, 204);
            window(ip).body("outcome", equalTo("FAILURE"));
            assertThat(registry.counter("kanmon.auth.login.windows.lookups", "result", "shared").count() - shared)
                    .isEqualTo(2);
        } finally {
            KeycloakTestUsers.delete(alice);
            KeycloakTestUsers.delete(bob);
        }
    }

    @Test
    void anExcludedNetworkNeverGetsAWindow() {
        TestUser user = KeycloakTestUsers.create("lw-nat");
        try {
            // %test.kanmon.auth.login-window.excluded-networks=198.51.100.0/24, e.g. a CGNAT pool
            String ip = "198.51.100." + ThreadLocalRandom.current().nextInt(1, 255);
            report(operator(), user, ip, 204);
            window(ip).body("outcome", equalTo("FAILURE")).body("reply.code", equalTo(530));
        } finally {
            KeycloakTestUsers.delete(user);
        }
    }

    @Test
    void aUserDisabledSinceTheLoginGetsNoWindow() {
        TestUser user = KeycloakTestUsers.create("lw-dis");
        try {
            String ip = KeycloakTestUsers.uniqueIp();
            report(operator(), user, ip, 204);
            window(ip).body("outcome", equalTo("SUCCESS"));
            KeycloakTestUsers.setEnabled(user, false);
            // the identity event drops the cached directory entry
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> "FAILURE".equals(window(ip).extract().path("outcome")));
        } finally {
            KeycloakTestUsers.delete(user);
        }
    }

    @Test
    void onlyTheMailStoreAndOperatorsReportAndOnlyTheSubmissionServiceAsks() {
        TestUser user = KeycloakTestUsers.create("lw-auth");
        try {
            String ip = KeycloakTestUsers.uniqueIp();
            given().contentType(ContentType.JSON)
                    .body(Map.of("username", user.username(), "clientIp", ip, "service", "pop3"))
                    .post("/api/v1/login-windows").then().statusCode(401);
            // a subscriber cannot open a window for an address of its choice
            report(KeycloakTestUsers.token(user.username(), user.password()), user, ip, 403);
            given().auth().oauth2(operator()).contentType(ContentType.JSON)
                    .body(Map.of("username", user.username(), "clientIp", "not-an-address", "service", "pop3"))
                    .post("/api/v1/login-windows").then().statusCode(400);
            given().contentType(ContentType.JSON).body(Map.of("clientIp", ip))
                    .post("/internal/v1/authenticate/window").then().statusCode(401);
            given().auth().oauth2(KeycloakTestUsers.token(user.username(), user.password()))
                    .contentType(ContentType.JSON).body(Map.of("clientIp", ip))
                    .post("/internal/v1/authenticate/window").then().statusCode(403);
            window(ip).body("outcome", equalTo("FAILURE"));
        } finally {
            KeycloakTestUsers.delete(user);
        }
    }
}
