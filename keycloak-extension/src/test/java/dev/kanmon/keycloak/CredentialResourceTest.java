package dev.kanmon.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /realms/kanmon/kanmon/credentials/verify} against the running local stack's Keycloak. */
class CredentialResourceTest {

    private static String verifier;
    private final List<Realm.User> created = new java.util.ArrayList<>();

    @BeforeAll
    static void serviceAccount() {
        // the auth-service's client: its service account holds smtp-submission/credential-verifier
        verifier = Realm.serviceToken("smtp-submission", "smtp-submission-secret");
    }

    @AfterEach
    void cleanUp() {
        created.forEach(Realm::delete);
    }

    private Realm.User user(Map<String, Object> extra, List<Map<String, Object>> credentials) {
        Realm.User user = Realm.create("kcx", extra, credentials);
        created.add(user);
        return user;
    }

    private JsonPath verify(String username, String password) {
        return Realm.verify(verifier, username, password).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void rightPasswordAnswersWhoTheUserIs() {
        Realm.User user = user(Map.of("attributes", Map.of("mailAliases", List.of("x@example.test", "y@example.test"),
                "smtpPlan", List.of("gold"))), List.of());
        JsonPath answer = verify(user.username(), user.password());
        assertThat(answer.getString("result")).isEqualTo("VALID");
        assertThat(answer.getString("userId")).isEqualTo(user.id());
        assertThat(answer.getString("username")).isEqualTo(user.username());
        assertThat(answer.getBoolean("enabled")).isTrue();
        assertThat(answer.getString("email")).isEqualTo(user.email());
        assertThat(answer.getList("aliases")).containsExactly("x@example.test", "y@example.test");
        assertThat(answer.getString("plan")).isEqualTo("gold");
        assertThat(answer.getBoolean("secondFactor")).isFalse();
        // by e-mail address too (the realm allows login with e-mail)
        assertThat(verify(user.email(), user.password()).getString("userId")).isEqualTo(user.id());
        // a check, not a login: Keycloak holds no session for the user afterwards
        assertThat(io.restassured.RestAssured.given().auth().oauth2(Realm.adminToken())
                .get(Realm.USERS + "/" + user.id() + "/sessions").then().statusCode(200)
                .extract().jsonPath().getList("")).isEmpty();
    }

    @Test
    void wrongPasswordAndUnknownUserAreInvalidAndLookAlike() {
        Realm.User user = user(Map.of(), List.of());
        assertThat(verify(user.username(), "not-" + user.password()).getMap("")).isEqualTo(Map.of("result", "INVALID"));
        assertThat(verify("nobody-" + user.username(), "whatever").getMap("")).isEqualTo(Map.of("result", "INVALID"));
    }

    @Test
    void disabledUserIsReportedOnlyWithTheRightPassword() {
        Realm.User user = user(Map.of("enabled", false), List.of());
        assertThat(verify(user.username(), user.password()).getString("result")).isEqualTo("DISABLED");
        assertThat(verify(user.username(), "wrong").getString("result")).isEqualTo("INVALID");
    }

    @Test
    void smtpFailuresNeverLockTheUser() {
        Realm.User user = user(Map.of(), List.of());
        // more than the realm's failureFactor (30): the relay's own bans count SMTP failures, per address and login
        for (int i = 0; i < 40; i++) {
            assertThat(verify(user.username(), "wrong-" + i).getString("result")).isEqualTo("INVALID");
        }
        assertThat(verify(user.username(), user.password()).getString("result")).isEqualTo("VALID");
    }

    @Test
    void aUserThatKeycloakLockedIsRefusedWithoutLookingAtThePassword() {
        Realm.User user = user(Map.of(), List.of());
        // 30 failed logins at Keycloak itself (the realm's failureFactor) lock the user for 60 s
        for (int i = 0; i < 30; i++) {
            Realm.passwordGrant(user.username(), "wrong-" + i).then().statusCode(401);
        }
        // Keycloak's brute-force protector records a failure on an executor: the 401 can come before it is stored
        JsonPath locked = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> verify(user.username(), user.password()), v -> "LOCKED".equals(v.getString("result")));
        assertThat(locked.getString("userId")).isEqualTo(user.id());
    }

    @Test
    void concurrentChecksOfOneUserAreAllValid() throws Exception {
        Realm.User user = user(Map.of(), List.of());
        // a mail client opening several sessions at once: Keycloak's blocking brute-force protector must not turn
        // the checks that overlap into LOCKED (454 "Too many failed authentications" over SMTP)
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                results.add(pool.submit(() -> verify(user.username(), user.password()).getString("result")));
            }
            for (Future<String> r : results) {
                assertThat(r.get(60, TimeUnit.SECONDS)).isEqualTo("VALID");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void secondFactorIsReported() {
        Realm.User user = user(Map.of(), List.of(Map.of("type", "otp", "userLabel", "phone",
                "secretData", "{\"value\":\"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\"}",
                "credentialData", "{\"subType\":\"totp\",\"digits\":6,\"counter\":0,\"period\":30,\"algorithm\":\"HmacSHA1\"}")));
        JsonPath answer = verify(user.username(), user.password());
        assertThat(answer.getString("result")).isEqualTo("VALID");
        assertThat(answer.getBoolean("secondFactor")).isTrue();
    }

    @Test
    void anonymousCallerGets401() {
        Realm.verify(null, "alice", "alice-secret").then().statusCode(401);
        Realm.verify("not.a.token", "alice", "alice-secret").then().statusCode(401);
    }

    @Test
    void callerWithoutTheRoleGets403() {
        // kanmon-admin's service account may read users but does not hold credential-verifier
        Realm.verify(Realm.serviceToken("kanmon-admin", "kanmon-admin-secret"), "alice", "alice-secret")
                .then().statusCode(403);
    }
}
