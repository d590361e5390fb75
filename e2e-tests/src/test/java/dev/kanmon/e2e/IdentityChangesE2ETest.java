package dev.kanmon.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Changes made in Keycloak reach SMTP AUTH within a second, through the Kanmon Keycloak extension's events on
 * relay.identity.v1 and the auth-service's consumer, although the old password sits in the auth-service's 60 s
 * success cache; nothing is restarted. An open session of a user disabled in Keycloak cannot send another message
 * (the submission service's own consumer of relay.identity.v1); a user with a second factor is pointed to app
 * passwords.
 */
class IdentityChangesE2ETest extends E2eBase {

    private static final String KC = "http://127.0.0.1:18080";
    private String userId;
    private String username;
    private String password;

    private static String adminToken() {
        return given().contentType(ContentType.URLENC).formParam("grant_type", "password")
                .formParam("client_id", "admin-cli").formParam("username", "kcadmin").formParam("password", "kcadmin")
                .post(KC + "/realms/master/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    /** The TOTP secret of the second-factor user (raw key bytes, as Keycloak stores it without secretEncoding). */
    private static final String OTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    private String otpUserId;

    @BeforeEach
    void user() {
        username = "idchg-" + UUID.randomUUID().toString().substring(0, 8);
        password = "pw-" + UUID.randomUUID();
        userId = createUser(username, password, List.of());
    }

    /** A Keycloak user with a password and {@code more} credentials; its id. */
    private static String createUser(String name, String secret, List<Map<String, Object>> more) {
        List<Map<String, Object>> credentials = new java.util.ArrayList<>();
        credentials.add(Map.of("type", "password", "value", secret, "temporary", false));
        credentials.addAll(more);
        String location = given().auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("username", name, "enabled", true, "email", name + "@example.test",
                        "emailVerified", true, "firstName", "Id", "lastName", "Change", "credentials", credentials))
                .post(KC + "/admin/realms/kanmon/users").then().statusCode(201).extract().header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    @AfterEach
    void deleteUser() {
        given().auth().oauth2(adminToken()).delete(KC + "/admin/realms/kanmon/users/" + userId);
        if (otpUserId != null) {
            given().auth().oauth2(adminToken()).delete(KC + "/admin/realms/kanmon/users/" + otpUserId);
        }
    }

    private static int auth(String user, String secret) throws IOException {
        try (SmtpClient c = tlsSession(E2eStack.SUBMISSION)) {
            return c.authPlain(user, secret).code();
        }
    }

    /** Logs in twice: the second login is served from the auth-service's success cache. */
    private void cached() throws IOException {
        assertThat(auth(username, password)).isEqualTo(235);
        assertThat(auth(username, password)).isEqualTo(235);
    }

    @Test
    void passwordChangedThroughTheAdminApiTakesEffectWithinASecond() throws Exception {
        cached();
        String fresh = "pw-" + UUID.randomUUID();
        given().auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("type", "password", "value", fresh, "temporary", false))
                .put(KC + "/admin/realms/kanmon/users/" + userId + "/reset-password").then().statusCode(204);
        Thread.sleep(1000);
        assertThat(auth(username, password)).as("old password").isEqualTo(535);
        assertThat(auth(username, fresh)).as("new password").isEqualTo(235);
    }

    @Test
    void disabledUserIsRefusedOnTheNextAuth() throws Exception {
        cached();
        given().auth().oauth2(adminToken()).contentType(ContentType.JSON).body(Map.of("enabled", false))
                .put(KC + "/admin/realms/kanmon/users/" + userId).then().statusCode(204);
        Thread.sleep(1000);
        assertThat(auth(username, password)).isEqualTo(535);
    }

    @Test
    void openSessionOfADisabledUserCannotSendAnotherMessage() throws Exception {
        try (SmtpClient c = tlsSession(E2eStack.SUBMISSION)) {
            assertThat(c.authPlain(username, password).code()).as(c.transcript()).isEqualTo(235);
            send(c, username + "@example.test", "before-disable");
            given().auth().oauth2(adminToken()).contentType(ContentType.JSON).body(Map.of("enabled", false))
                    .put(KC + "/admin/realms/kanmon/users/" + userId).then().statusCode(204);
            // each try a fresh MAIL: refused once the change has reached this session, which is then closed
            Reply[] refused = new Reply[1];
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(500)).until(() -> {
                Reply mail = c.send("MAIL FROM:<" + username + "@example.test>");
                if (mail.code() == 250) {
                    c.send("RSET");
                    return false;
                }
                refused[0] = mail;
                return true;
            });
            assertThat(refused[0].code()).as(c.transcript()).isEqualTo(421);
            assertThat(refused[0].enhanced()).isEqualTo("4.7.0");
            assertThat(refused[0].text()).contains("Authentication no longer valid");
        }
        assertThat(auth(username, password)).as("a new AUTH").isEqualTo(535);
    }

    @Test
    void transactionUnderWayWhenTheUserIsDisabledIsFinished() throws Exception {
        try (SmtpClient c = tlsSession(E2eStack.SUBMISSION)) {
            assertThat(c.authPlain(username, password).code()).as(c.transcript()).isEqualTo(235);
            TestMessage m = new TestMessage("revoked-mid-transaction", username + "@example.test", E2eStack.BOB_ADDRESS);
            assertThat(c.send("MAIL FROM:<" + m.from + ">").code()).as(c.transcript()).isEqualTo(250);
            assertThat(c.send("RCPT TO:<" + m.to + ">").code()).as(c.transcript()).isEqualTo(250);
            given().auth().oauth2(adminToken()).contentType(ContentType.JSON).body(Map.of("enabled", false))
                    .put(KC + "/admin/realms/kanmon/users/" + userId).then().statusCode(204);
            Thread.sleep(2000);
            // the message begun before the change is queued, the next one is not
            assertThat(c.data(m.dotStuffedCrlf()).code()).as(c.transcript()).isEqualTo(250);
            assertThat(c.send("MAIL FROM:<" + m.from + ">").code()).as(c.transcript()).isEqualTo(421);
        }
    }

    @Test
    void userWithASecondFactorIsToldToUseAnAppPasswordAndOneWorks() throws Exception {
        String name = "idotp-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = "pw-" + UUID.randomUUID();
        otpUserId = createUser(name, secret, List.of(Map.of("type", "otp", "userLabel", "phone",
                "secretData", "{\"value\":\"" + OTP_SECRET + "\"}",
                "credentialData", "{\"subType\":\"totp\",\"digits\":6,\"counter\":0,\"period\":30,"
                        + "\"algorithm\":\"HmacSHA1\"}")));
        try (SmtpClient c = tlsSession(E2eStack.SUBMISSION)) {
            Reply refused = c.authPlain(name, secret);
            assertThat(refused.code()).as(c.transcript()).isEqualTo(535);
            assertThat(refused.enhanced()).isEqualTo("5.7.8");
            assertThat(refused.text())
                    .contains("Two-factor account: use an SMTP app password instead of the account password");
        }
        // the subscriber makes an app password with a token of a login with both factors
        String token = given().contentType(ContentType.URLENC).formParams(Map.of("grant_type", "password",
                        "client_id", "kanmon-cli", "username", name, "password", secret, "totp", totp(OTP_SECRET)))
                .post(KC + "/realms/kanmon/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
        String appPassword = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("label", "e2e mail client")).post(E2eStack.AUTH_API + "/api/v1/app-passwords")
                .then().statusCode(201).extract().path("password");
        try (SmtpClient c = tlsSession(E2eStack.SUBMISSION)) {
            assertThat(c.authPlain(name, appPassword).code()).as(c.transcript()).isEqualTo(235);
            send(c, name + "@example.test", "app-password");
        }
    }

    /** One message from the session's user to the sink, queued (250 after Kafka's acknowledgement). */
    private static void send(SmtpClient c, String from, String label) throws IOException {
        TestMessage m = new TestMessage(label, from, E2eStack.BOB_ADDRESS);
        assertThat(c.send("MAIL FROM:<" + m.from + ">").code()).as(c.transcript()).isEqualTo(250);
        assertThat(c.send("RCPT TO:<" + m.to + ">").code()).as(c.transcript()).isEqualTo(250);
        assertThat(c.data(m.dotStuffedCrlf()).code()).as(c.transcript()).isEqualTo(250);
    }

    /** RFC 6238 TOTP (HMAC-SHA-1, 6 digits, 30 s) of a raw key. */
    private static String totp(String key) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(System.currentTimeMillis() / 30_000).array());
        int o = h[h.length - 1] & 0xf;
        int code = ((h[o] & 0x7f) << 24 | (h[o + 1] & 0xff) << 16 | (h[o + 2] & 0xff) << 8 | (h[o + 3] & 0xff))
                % 1_000_000;
        return String.format("%06d", code);
    }
}
