package dev.kanmon.auth.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Real users in the real Keycloak realm, made per test through the admin REST API with the local stack's bootstrap
 * admin, so tests never disturb the demo users or each other (the stack's own auth-service may be running too).
 */
public final class KeycloakTestUsers {

    private KeycloakTestUsers() {
    }

    /** A created user. */
    public record TestUser(String id, String username, String password, String email, String alias) {
    }

    public static String keycloakUrl() {
        return ConfigProvider.getConfig().getValue("kanmon.auth.keycloak.url", String.class);
    }

    private static String adminToken() {
        Config config = ConfigProvider.getConfig();
        return given().contentType(ContentType.URLENC)
                .formParam("grant_type", "password").formParam("client_id", "admin-cli")
                .formParam("username", config.getValue("kanmon-test.keycloak-admin.username", String.class))
                .formParam("password", config.getValue("kanmon-test.keycloak-admin.password", String.class))
                .post(keycloakUrl() + "/realms/master/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    public static TestUser create(String prefix) {
        return create(prefix, List.of());
    }

    /** A user who also has a TOTP credential (a second factor). */
    public static TestUser createWithOtp(String prefix) {
        return create(prefix, List.of(Map.<String, Object>of("type", "otp", "userLabel", "phone",
                "secretData", "{\"value\":\"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\"}",
                "credentialData", "{\"subType\":\"totp\",\"digits\":6,\"counter\":0,\"period\":30,\"algorithm\":\"HmacSHA1\"}")));
    }

    private static TestUser create(String prefix, List<Map<String, Object>> moreCredentials) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "pw-" + UUID.randomUUID();
        String email = name + "@example.test";
        String alias = name + ".alias@example.test";
        Map<String, Object> user = Map.of(
                "username", name, "enabled", true, "email", email, "emailVerified", true,
                "firstName", "Test", "lastName", "User",
                "attributes", Map.of("mailAliases", List.of(alias)),
                "credentials", java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(Map.<String, Object>of("type", "password", "value", password, "temporary", false)),
                        moreCredentials.stream()).toList());
        String location = given().auth().oauth2(adminToken()).contentType(ContentType.JSON).body(user)
                .post(keycloakUrl() + "/admin/realms/kanmon/users")
                .then().statusCode(201).extract().header("Location");
        return new TestUser(location.substring(location.lastIndexOf('/') + 1), name, password, email, alias);
    }

    public static void setEnabled(TestUser user, boolean enabled) {
        given().auth().oauth2(adminToken()).contentType(ContentType.JSON).body(Map.of("enabled", enabled))
                .put(keycloakUrl() + "/admin/realms/kanmon/users/" + user.id())
                .then().statusCode(204);
    }

    public static void delete(TestUser user) {
        given().auth().oauth2(adminToken()).delete(keycloakUrl() + "/admin/realms/kanmon/users/" + user.id());
    }

    /** An access token of the public {@code kanmon-cli} client (audience {@code kanmon}). */
    public static String token(String username, String password) {
        return given().contentType(ContentType.URLENC)
                .formParam("grant_type", "password").formParam("client_id", "kanmon-cli")
                .formParam("username", username).formParam("password", password)
                .post(keycloakUrl() + "/realms/kanmon/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    /** A client IP nobody else uses (TEST-NET-2 / benchmark ranges), so bans of one test never touch another. */
    public static String uniqueIp() {
        UUID u = UUID.randomUUID();
        return "198.18." + (int) (u.getMostSignificantBits() & 0xff) + "." + (int) (u.getLeastSignificantBits() & 0xff);
    }
}
