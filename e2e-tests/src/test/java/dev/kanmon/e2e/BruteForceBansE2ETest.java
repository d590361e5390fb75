package dev.kanmon.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Brute-force bans over SMTP (docs/authentication.md, "Brute-force defence"): the client socket is bound to
 * loopback aliases (all of 127/8 is local on Linux), so the submission-service sees a different client address per
 * alias. The addresses are drawn from 127.0.77.0/24, which no DNSBL test zone lists and no other test uses, and every
 * ban a test sets is lifted again through the operator API.
 */
class BruteForceBansE2ETest extends E2eBase {

    private static final String KC = "http://127.0.0.1:18080";
    private static final int PAIR_THRESHOLD = 10;
    private static final int ADDRESS_LOGINS_THRESHOLD = 10;

    private String userId;
    private String username;
    private String password;

    private static String adminToken() {
        return given().contentType(ContentType.URLENC).formParam("grant_type", "password")
                .formParam("client_id", "admin-cli").formParam("username", "kcadmin").formParam("password", "kcadmin")
                .post(KC + "/realms/master/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    @BeforeEach
    void user() {
        username = "ban-" + UUID.randomUUID().toString().substring(0, 8);
        password = "pw-" + UUID.randomUUID();
        String location = given().auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("username", username, "enabled", true, "email", username + "@example.test",
                        "emailVerified", true, "firstName", "Ban", "lastName", "Test",
                        "credentials", List.of(Map.of("type", "password", "value", password, "temporary", false))))
                .post(KC + "/admin/realms/kanmon/users").then().statusCode(201).extract().header("Location");
        userId = location.substring(location.lastIndexOf('/') + 1);
    }

    @AfterEach
    void deleteUser() {
        given().auth().oauth2(adminToken()).delete(KC + "/admin/realms/kanmon/users/" + userId);
    }

    /** One AUTH PLAIN in a fresh session from {@code source}, after STARTTLS; the reply. */
    private static Reply auth(String source, String user, String secret) throws IOException {
        try (SmtpClient c = SmtpClient.connect(E2eStack.HOST, E2eStack.SUBMISSION, source)) {
            c.read();
            c.send("EHLO " + HELO);
            assertThat(c.startTls().code()).as(c.transcript()).isEqualTo(220);
            c.send("EHLO " + HELO);
            return c.authPlain(user, secret);
        }
    }

    private static String loopbackAlias() {
        return "127.0.77." + ThreadLocalRandom.current().nextInt(1, 255);
    }

    private static void lift(String path, Map<String, String> query) {
        given().auth().oauth2(E2eStack.token("operator", "operator-secret")).queryParams(query)
                .delete(E2eStack.AUTH_API + "/api/v1/bans/" + path).then().statusCode(204);
    }

    @Test
    void fortyFailuresFromOneAddressLeaveTheLoginUsableFromAnother() throws IOException {
        String a = loopbackAlias();
        String b;
        do {
            b = loopbackAlias();
        } while (b.equals(a));

        for (int i = 0; i < 40; i++) {
            Reply r = auth(a, username, "guess-" + i);
            assertThat(r.code()).as("attempt %d: %s", i + 1, r).isEqualTo(i < PAIR_THRESHOLD ? 535 : 454);
        }
        Reply banned = auth(a, username, password);
        assertThat(banned.code()).as("right password from the guessing address: %s", banned).isEqualTo(454);
        assertThat(banned.enhanced()).isEqualTo("4.7.0");
        assertThat(banned.text()).isEqualTo("Too many failed authentications, try again later");

        assertThat(auth(b, username, password).code()).as("right password from another address").isEqualTo(235);
        assertThat(auth(a, E2eStack.ALICE, E2eStack.ALICE_PASSWORD).code())
                .as("another subscriber from the guessing address").isEqualTo(235);

        lift("pair", Map.of("address", a, "login", username));
        assertThat(auth(a, username, password).code()).as("after the operator lifted the pair ban").isEqualTo(235);
    }

    @Test
    void failuresForManyLoginsFromOneAddressBanItForEveryone() throws IOException {
        String c = loopbackAlias();
        for (int i = 0; i < ADDRESS_LOGINS_THRESHOLD; i++) {
            assertThat(auth(c, "nobody-" + UUID.randomUUID(), "guess").code()).isEqualTo(535);
        }
        try {
            assertThat(auth(c, username, password).code()).as("a subscriber who never failed, from there")
                    .isEqualTo(454);
            String elsewhere;
            do {
                elsewhere = loopbackAlias();
            } while (elsewhere.equals(c));
            assertThat(auth(elsewhere, username, password).code()).as("the same subscriber elsewhere").isEqualTo(235);
        } finally {
            lift("address", Map.of("address", c));
        }
        assertThat(auth(c, username, password).code()).as("after the operator lifted the address ban").isEqualTo(235);
    }
}
