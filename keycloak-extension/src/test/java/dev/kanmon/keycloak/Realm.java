package dev.kanmon.keycloak;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The running local stack's Keycloak, realm {@code kanmon}: per-test users made through the admin API with the
 * stack's bootstrap admin, and tokens of the realm's clients.
 */
final class Realm {

    static final String URL = System.getProperty("kanmon.keycloak.url", "http://127.0.0.1:18080");
    static final String VERIFY = URL + "/realms/kanmon/kanmon/credentials/verify";
    static final String USERS = URL + "/admin/realms/kanmon/users";

    /** A created user. */
    record User(String id, String username, String password, String email) {
    }

    private Realm() {
    }

    static String adminToken() {
        return token(URL + "/realms/master/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "admin-cli", "username", "kcadmin", "password", "kcadmin"));
    }

    /** client_credentials token of a confidential client of the realm. */
    static String serviceToken(String clientId, String secret) {
        return token(URL + "/realms/kanmon/protocol/openid-connect/token",
                Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
    }

    /** A login at Keycloak itself (password grant of the public kanmon-cli client), as a web or CLI login is. */
    static Response passwordGrant(String username, String password) {
        return given().contentType(ContentType.URLENC).formParams(Map.of("grant_type", "password",
                "client_id", "kanmon-cli", "username", username, "password", password))
                .post(URL + "/realms/kanmon/protocol/openid-connect/token");
    }

    private static String token(String url, Map<String, String> form) {
        return given().contentType(ContentType.URLENC).formParams(form).post(url)
                .then().statusCode(200).extract().path("access_token");
    }

    static User create(String prefix, Map<String, Object> extra, List<Map<String, Object>> moreCredentials) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "pw-" + UUID.randomUUID();
        String email = name + "@example.test";
        List<Map<String, Object>> credentials = new java.util.ArrayList<>();
        credentials.add(Map.of("type", "password", "value", password, "temporary", false));
        credentials.addAll(moreCredentials);
        Map<String, Object> user = new java.util.HashMap<>(Map.of(
                "username", name, "enabled", true, "email", email, "emailVerified", true,
                "firstName", "Test", "lastName", "User", "credentials", credentials));
        user.putAll(extra);
        String location = given().auth().oauth2(adminToken()).contentType(ContentType.JSON).body(user).post(USERS)
                .then().statusCode(201).extract().header("Location");
        return new User(location.substring(location.lastIndexOf('/') + 1), name, password, email);
    }

    static void update(User user, Map<String, Object> fields) {
        given().auth().oauth2(adminToken()).contentType(ContentType.JSON).body(fields).put(USERS + "/" + user.id())
                .then().statusCode(204);
    }

    static void resetPassword(User user, String password) {
        given().auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("type", "password", "value", password, "temporary", false))
                .put(USERS + "/" + user.id() + "/reset-password").then().statusCode(204);
    }

    static void delete(User user) {
        given().auth().oauth2(adminToken()).delete(USERS + "/" + user.id());
    }

    static Response verify(String bearer, String username, String password) {
        var request = given().contentType(ContentType.JSON).body(Map.of("username", username, "password", password));
        if (bearer != null) {
            request.auth().oauth2(bearer);
        }
        return request.post(VERIFY);
    }
}
