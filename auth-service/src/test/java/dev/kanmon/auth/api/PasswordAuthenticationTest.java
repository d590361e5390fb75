package dev.kanmon.auth.api;

import static dev.kanmon.auth.support.ServiceTokens.internal;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.kanmon.auth.support.Calls;
import dev.kanmon.auth.support.KeycloakTestUsers;
import dev.kanmon.auth.support.KeycloakTestUsers.TestUser;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** {@code POST /internal/v1/authenticate/password} against the real Keycloak realm. */
@QuarkusTest
class PasswordAuthenticationTest {

    @Inject
    MeterRegistry registry;

    @Test
    void demoUserGetsEmailThenAliases() {
        Calls.password("alice", "alice-secret", KeycloakTestUsers.uniqueIp())
                .body("outcome", equalTo("SUCCESS"))
                .body("user", equalTo("alice"))
                .body("addresses", contains("alice@example.test", "a.test@example.test"))
                .body("reply", nullValue());
    }

    @Test
    void aSuccessfulCheckOpensTheQuotaSessionWhenAskedAndAFailedOneDoesNot() {
        TestUser user = KeycloakTestUsers.create("admit");
        try {
            String ip = KeycloakTestUsers.uniqueIp();
            String lease = Calls.passwordOpeningSession(user.username(), user.password(), ip)
                    .body("outcome", equalTo("SUCCESS"))
                    .body("session.allowed", equalTo(true))
                    .body("session.escrow.messages", greaterThan(0))
                    .body("session.escrow.recipients", greaterThan(0))
                    .body("session.escrow.validMillis", greaterThan(0))
                    .extract().path("session.leaseId");
            assertThat(lease).isNotBlank();
            internal().delete("/internal/v1/quota/sessions/" + lease + "?seq=1&messagesLeft=0&recipientsLeft=0")
                    .then().statusCode(204);

            Calls.passwordOpeningSession(user.username(), user.password() + "x", ip)
                    .body("outcome", equalTo("FAILURE"))
                    .body("$", not(hasKey("session")));
            Calls.password(user.username(), user.password(), ip)
                    .body("outcome", equalTo("SUCCESS"))
                    .body("$", not(hasKey("session")));
        } finally {
            KeycloakTestUsers.delete(user);
        }
    }

    @Test
    void wrongPasswordAndUnknownUserAre535() {
        String ip = KeycloakTestUsers.uniqueIp();
        for (String[] creds : new String[][] {{"alice", "not-her-password"}, {"nobody-such", "x"}}) {
            Calls.password(creds[0], creds[1], ip)
                    .body("outcome", equalTo("FAILURE"))
                    .body("user", nullValue())
                    .body("addresses", empty())
                    .body("reply.code", equalTo(535))
                    .body("reply.enhanced", equalTo("5.7.8"));
        }
    }

    @Test
    void repeatedLoginIsServedFromCacheWithoutKeycloak() {
        TestUser user = KeycloakTestUsers.create("cache");
        try {
            String ip = KeycloakTestUsers.uniqueIp();
            Calls.password(user.username(), user.password(), ip).body("outcome", equalTo("SUCCESS"));
            double before = Calls.keycloakChecks(registry);
            for (int i = 0; i < 20; i++) {
                Calls.password(user.username(), user.password(), ip)
                        .body("outcome", equalTo("SUCCESS"))
                        .body("addresses", contains(user.email(), user.alias()));
            }
            assertThat(Calls.keycloakChecks(registry)).isEqualTo(before);
            // A different password for the same user is not a cache hit.
            Calls.password(user.username(), user.password() + "x", ip).body("outcome", equalTo("FAILURE"));
            assertThat(Calls.keycloakChecks(registry)).isEqualTo(before + 1);
        } finally {
            KeycloakTestUsers.delete(user);
        }
    }

    @Test
    void disabledUserStopsWorkingWithinSecondsDespiteTheCache() {
        TestUser user = KeycloakTestUsers.create("disable");
        try {
            String ip = KeycloakTestUsers.uniqueIp();
            Calls.password(user.username(), user.password(), ip).body("outcome", equalTo("SUCCESS"));

            KeycloakTestUsers.setEnabled(user, false);
            // The Keycloak extension publishes the change on relay.identity.v1, the consumer drops the cached success
            // (far before the 60 s cache TTL); the fresh check then finds the user disabled.
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    Calls.password(user.username(), user.password(), ip)
                            .body("outcome", equalTo("FAILURE"))
                            .body("reply.code", equalTo(535)));

            KeycloakTestUsers.setEnabled(user, true);
            Calls.password(user.username(), user.password(), KeycloakTestUsers.uniqueIp())
                    .body("outcome", equalTo("SUCCESS"));
        } finally {
            KeycloakTestUsers.delete(user);
        }
    }

    @Test
    void userWithSecondFactorIsToldToUseAnAppPassword() {
        TestUser user = KeycloakTestUsers.createWithOtp("otp");
        try {
            Calls.password(user.username(), user.password(), KeycloakTestUsers.uniqueIp())
                    .body("outcome", equalTo("FAILURE"))
                    .body("reply.code", equalTo(535))
                    .body("reply.enhanced", equalTo("5.7.8"))
                    .body("reply.text", containsString("app password"));
        } finally {
            KeycloakTestUsers.delete(user);
        }
    }

    @Test
    void foreignAuthzidIsRefused() {
        internal().contentType(io.restassured.http.ContentType.JSON)
                .body(java.util.Map.of("username", "alice", "password", "alice-secret", "authzid", "bob",
                        "clientIp", KeycloakTestUsers.uniqueIp(), "mechanism", "PLAIN"))
                .post("/internal/v1/authenticate/password")
                .then().statusCode(200).body("outcome", equalTo("FAILURE")).body("reply.code", equalTo(535));
    }
}
