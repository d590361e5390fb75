package dev.kanmon.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Changes made in Keycloak reach SMTP AUTH within a second, through the Kanmon Keycloak extension's events on
 * relay.identity.v1 and the auth-service's consumer, although the old password sits in the auth-service's 60 s
 * success cache; nothing is restarted.
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

    @BeforeEach
    void user() {
        username = "idchg-" + UUID.randomUUID().toString().substring(0, 8);
        password = "pw-" + UUID.randomUUID();
        String location = given().auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("username", username, "enabled", true, "email", username + "@example.test",
                        "emailVerified", true, "firstName", "Id", "lastName", "Change",
                        "credentials", List.of(Map.of("type", "password", "value", password, "temporary", false))))
                .post(KC + "/admin/realms/kanmon/users").then().statusCode(201).extract().header("Location");
        userId = location.substring(location.lastIndexOf('/') + 1);
    }

    @AfterEach
    void deleteUser() {
        given().auth().oauth2(adminToken()).delete(KC + "/admin/realms/kanmon/users/" + userId);
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
}
