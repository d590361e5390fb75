package dev.kanmon.auth.api;

import static dev.kanmon.auth.support.ServiceTokens.internal;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.kanmon.auth.support.KeycloakTestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OAUTHBEARER/XOAUTH2 token checks with real Keycloak access tokens. */
@QuarkusTest
class TokenAuthenticationTest {

    private static ValidatableResponse check(String token, String username, String mechanism) {
        Map<String, Object> body = new HashMap<>();
        body.put("token", token);
        body.put("username", username);
        body.put("clientIp", KeycloakTestUsers.uniqueIp());
        body.put("mechanism", mechanism);
        return internal().contentType(ContentType.JSON).body(body)
                .post("/internal/v1/authenticate/token").then().statusCode(200);
    }

    @Test
    void validTokenByUserNameOrAddress() {
        String token = KeycloakTestUsers.token("alice", "alice-secret");
        check(token, "alice", "OAUTHBEARER")
                .body("outcome", equalTo("SUCCESS"))
                .body("user", equalTo("alice"))
                .body("addresses", contains("alice@example.test", "a.test@example.test"));
        check(token, "alice@example.test", "XOAUTH2").body("outcome", equalTo("SUCCESS"));
        check(token, null, "OAUTHBEARER").body("outcome", equalTo("SUCCESS"));
    }

    @Test
    void tokenOfSomebodyElseOrForgedIsRefused() {
        String token = KeycloakTestUsers.token("alice", "alice-secret");
        check(token, "bob", "XOAUTH2").body("outcome", equalTo("FAILURE")).body("reply.code", equalTo(535));
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA";
        check(forged, "alice", "OAUTHBEARER").body("outcome", equalTo("FAILURE"));
        check("not-a-jwt", "alice", "OAUTHBEARER").body("outcome", equalTo("FAILURE"));
    }
}
