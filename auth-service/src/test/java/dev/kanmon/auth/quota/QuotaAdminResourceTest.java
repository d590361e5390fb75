package dev.kanmon.auth.quota;

import static dev.kanmon.auth.support.ServiceTokens.internal;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** The operators' quota API behind real Keycloak tokens. */
@QuarkusTest
class QuotaAdminResourceTest {

    private static String token(String user, String password) {
        String issuer = ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class);
        return given().contentType(ContentType.URLENC)
                .formParam("grant_type", "password").formParam("client_id", "kanmon-cli")
                .formParam("username", user).formParam("password", password)
                .post(issuer + "/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    @Test
    void anonymousAndSubscribersAreKeptOut() {
        given().get("/api/v1/quota/plans").then().statusCode(401);
        given().auth().oauth2(token("alice", "alice-secret")).get("/api/v1/quota/plans").then().statusCode(403);
    }

    @Test
    void operatorSuspendsAndAdminChangesLimitsEffectiveImmediately() {
        String user = "quota-api-" + UUID.randomUUID();
        String operator = token("operator", "operator-secret");
        String admin = token("admin", "admin-secret");

        given().auth().oauth2(operator).get("/api/v1/quota/plans")
                .then().statusCode(200).body("name", hasItem("default"));

        // operators may not change limits
        given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body("{\"plan\":\"default\",\"messagesPerDay\":1}")
                .put("/api/v1/quota/subscribers/" + user).then().statusCode(403);

        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"messagesPerMinute\":5,\"messagesPerHour\":50,\"messagesPerDay\":1,"
                        + "\"recipientsPerMessage\":10,\"recipientsPerDay\":20,\"concurrentSessions\":1}")
                .put("/api/v1/quota/plans/tight-" + user).then().statusCode(200);
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"plan\":\"tight-" + user + "\"}")
                .put("/api/v1/quota/subscribers/" + user)
                .then().statusCode(200).body("limits.messagesPerDay", equalTo(1));

        internal().contentType(ContentType.JSON).body("{\"username\":\"" + user + "\",\"messages\":1,\"recipients\":0}")
                .post("/internal/v1/quota/consume").then().statusCode(200).body("allowed", equalTo(true));
        internal().contentType(ContentType.JSON).body("{\"username\":\"" + user + "\",\"messages\":1,\"recipients\":0}")
                .post("/internal/v1/quota/consume").then().statusCode(200)
                .body("allowed", equalTo(false)).body("reply.code", equalTo(450));

        given().auth().oauth2(operator).contentType(ContentType.JSON).body("{\"reason\":\"compromised\"}")
                .put("/api/v1/quota/subscribers/" + user + "/suspension")
                .then().statusCode(200).body("limits.suspended", equalTo(true));
        internal().contentType(ContentType.JSON).body("{\"username\":\"" + user + "\",\"messages\":0,\"recipients\":1}")
                .post("/internal/v1/quota/consume").then().statusCode(200)
                .body("allowed", equalTo(false)).body("reply.code", equalTo(550));

        given().auth().oauth2(operator).get("/api/v1/quota/top?metric=refused&window=day&limit=1000")
                .then().statusCode(200).body("username", hasItem(user));
    }

    @Test
    void everyOperatorChangeIsInTheAuditLogWithBeforeAndAfter() {
        String user = "quota-audit-" + UUID.randomUUID();
        String operator = token("operator", "operator-secret");
        String admin = token("admin", "admin-secret");

        given().auth().oauth2(operator).contentType(ContentType.JSON).body("{\"reason\":\"phished\"}")
                .put("/api/v1/quota/subscribers/" + user + "/suspension").then().statusCode(200);
        given().auth().oauth2(operator).contentType(ContentType.JSON).body("{\"reason\":\"password changed\"}")
                .delete("/api/v1/quota/subscribers/" + user + "/suspension")
                .then().statusCode(200).body("limits.suspended", equalTo(false));
        given().auth().oauth2(operator).delete("/api/v1/quota/subscribers/" + user + "/suspension")
                .then().statusCode(200);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"plan\":\"default\",\"messagesPerHour\":7}")
                .put("/api/v1/quota/subscribers/" + user).then().statusCode(200);

        given().auth().oauth2(alice()).get("/api/v1/audit").then().statusCode(403);
        given().auth().oauth2(operator).get("/api/v1/audit?target=" + user)
                .then().statusCode(200)
                .body("action", contains("subscriber.limits", "subscriber.unsuspend", "subscriber.unsuspend",
                        "subscriber.suspend"))
                .body("actor", contains("admin", "operator", "operator", "operator"))
                .body("[3].reason", equalTo("phished"))
                .body("[3].before", equalTo("active"))
                .body("[3].after", equalTo("suspended: phished"))
                .body("[2].reason", equalTo("password changed"))
                .body("[2].before", equalTo("suspended: phished"))
                .body("[2].after", equalTo("active"))
                .body("[0].after", containsString("messagesPerHour=7"));
    }

    private static String alice() {
        return token("alice", "alice-secret");
    }
}
