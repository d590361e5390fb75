package dev.kanmon.dnsbl.api;

import static dev.kanmon.dnsbl.support.ServiceTokens.internal;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The local allow/deny lists through the admin API with real Keycloak tokens (realm kanmon), and their effect on
 * {@code /internal/v1/check}. The running dnsbl-service shares the schema, so every run uses networks of its own
 * (random /28s of 198.18.0.0/15, random hosts of bl.test's 192.0.2.0/24) and removes them.
 */
@QuarkusTest
class LocalListResourceTest {

    private static final String KEYCLOAK_TOKEN_URL = "http://127.0.0.1:18080/realms/kanmon/protocol/openid-connect/token";

    private static String token(String user, String password) {
        return given().contentType(ContentType.URLENC)
                .formParams(Map.of("grant_type", "password", "client_id", "kanmon-cli",
                        "username", user, "password", password))
                .post(KEYCLOAK_TOKEN_URL).then().statusCode(200).extract().path("access_token");
    }

    private static String randomNet28() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "198." + (18 + r.nextInt(2)) + "." + r.nextInt(256) + "." + (r.nextInt(16) * 16);
    }

    @Test
    void withoutTokenIs401() {
        given().get("/api/v1/local-lists/deny").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("cidr", "198.18.0.0/28"))
                .post("/api/v1/local-lists/deny").then().statusCode(401);
    }

    @Test
    void userWithoutRelayRoleIs403() {
        String alice = token("alice", "alice-secret");
        given().auth().oauth2(alice).get("/api/v1/local-lists/deny").then().statusCode(403);
        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("cidr", "198.18.0.0/28"))
                .post("/api/v1/local-lists/deny").then().statusCode(403);
    }

    @Test
    void denyEntryBlocksUntilRemoved() {
        String operator = token("operator", "operator-secret");
        String net = randomNet28();
        String client = net.substring(0, net.lastIndexOf('.') + 1) + (Integer.parseInt(net.substring(net.lastIndexOf('.') + 1)) + 5);
        internal().queryParam("ip", client).get("/internal/v1/check").then().body("verdict", equalTo("PASS"));

        int id = given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("cidr", net + "/28", "comment", "test: botnet range"))
                .post("/api/v1/local-lists/deny").then().statusCode(201)
                .header("Location", containsString("/api/v1/local-lists/deny/"))
                .body("list", equalTo("deny"))
                .body("cidr", equalTo(net + "/28"))
                .body("createdBy", equalTo("operator"))
                .extract().path("id");
        try {
            given().auth().oauth2(operator).get("/api/v1/local-lists/deny").then().statusCode(200)
                    .body("cidr", hasItem(net + "/28"));
            internal().queryParam("ip", client).get("/internal/v1/check").then().statusCode(200)
                    .body("verdict", equalTo("BLOCK"))
                    .body("listings.zone", contains("local-deny"))
                    .body("listings[0].code", equalTo(net + "/28"))
                    .body("reply.code", equalTo(554))
                    .body("reply.enhanced", equalTo("5.7.1"))
                    // the operator's comment is not shown to the client
                    .body("reply.text", equalTo("Service unavailable; client [" + client + "] blocked by local policy"));
            given().auth().oauth2(operator).contentType(ContentType.JSON).body(Map.of("cidr", net + "/28"))
                    .post("/api/v1/local-lists/deny").then().statusCode(409);
        } finally {
            given().auth().oauth2(operator).delete("/api/v1/local-lists/deny/" + id).then().statusCode(204);
        }
        given().auth().oauth2(operator).delete("/api/v1/local-lists/deny/" + id).then().statusCode(404);
        given().auth().oauth2(operator).get("/api/v1/local-lists/deny").then().statusCode(200)
                .body("cidr", not(hasItem(net + "/28")));
        internal().queryParam("ip", client).get("/internal/v1/check").then().body("verdict", equalTo("PASS"));
        // both changes are in the audit log, newest first, with the network, the comment and who
        given().auth().oauth2(operator).queryParam("target", "deny " + net + "/28").get("/api/v1/audit")
                .then().statusCode(200)
                .body("action", contains("dnsbl.remove", "dnsbl.add"))
                .body("actor", contains("operator", "operator"))
                .body("reason", contains("test: botnet range", "test: botnet range"))
                .body("[1].after", equalTo("listed (entry " + id + ")"))
                .body("[0].after", equalTo("not listed"));
    }

    @Test
    void allowEntryOverridesADnsblListing() {
        String admin = token("admin", "admin-secret");
        String client = "192.0.2." + (1 + ThreadLocalRandom.current().nextInt(199)); // in bl.test
        int id = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("cidr", client, "comment", "test: customer's own server"))
                .post("/api/v1/local-lists/allow").then().statusCode(201)
                .body("cidr", equalTo(client + "/32"))
                .extract().path("id");
        try {
            internal().queryParam("ip", client).get("/internal/v1/check").then().statusCode(200)
                    .body("verdict", equalTo("PASS"))
                    .body("listings.zone", contains("local-allow"))
                    .body("reply", nullValue());
        } finally {
            given().auth().oauth2(admin).delete("/api/v1/local-lists/allow/" + id).then().statusCode(204);
        }
        internal().queryParam("ip", client).get("/internal/v1/check").then().body("verdict", equalTo("BLOCK"));
    }

    @Test
    void badInputIsRefused() {
        String operator = token("operator", "operator-secret");
        given().auth().oauth2(operator).contentType(ContentType.JSON).body(Map.of("cidr", "198.18.0.7/24"))
                .post("/api/v1/local-lists/deny").then().statusCode(400)
                .body("error", containsString("198.18.0.0/24"));
        given().auth().oauth2(operator).contentType(ContentType.JSON).body(Map.of("cidr", "not-a-network"))
                .post("/api/v1/local-lists/allow").then().statusCode(400);
        given().auth().oauth2(operator).get("/api/v1/local-lists/grey").then().statusCode(404);
    }
}
