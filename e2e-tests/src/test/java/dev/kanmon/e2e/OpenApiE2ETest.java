package dev.kanmon.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The OpenAPI documents of the running auth-, queue- and dnsbl-service (management ports of the local stack): the
 * public operator APIs with summaries and the realm roles each needs, the {@code Error} shape, no internal call; and
 * Swagger UI in the local profile.
 */
class OpenApiE2ETest {

    @ParameterizedTest
    @CsvSource({
            "19082, /api/v1/quota/subscribers/{username}/suspension, put, relay-operator",
            "19082, /api/v1/quota/plans/{name}, put, relay-admin",
            "19082, /api/v1/bans/pair, delete, relay-operator",
            "19082, /api/v1/subscribers/{username}/app-passwords/{id}, delete, relay-operator",
            "19082, /api/v1/audit, get, relay-operator",
            "19083, /api/v1/queue/messages/{queueId}/hold, post, relay-operator",
            "19083, /api/v1/queue/messages/{queueId}, delete, relay-admin",
            "19083, /api/v1/abuse/audit, get, relay-operator",
            "19085, /api/v1/local-lists/{list}, post, relay-operator",
            "19085, /api/v1/audit, get, relay-operator"})
    void operationIsDescribedWithItsRoles(int port, String path, String method, String role) {
        JsonPath doc = document(port);
        Map<String, Object> operation = doc.getMap("paths.'" + path + "'." + method);
        assertThat(operation).as("%s %s on %d", method, path, port).isNotNull();
        assertThat((String) operation.get("summary")).isNotBlank();
        assertThat(doc.getList("paths.'" + path + "'." + method + ".security.keycloak.flatten()", String.class))
                .contains(role);
        assertThat(doc.getMap("components.schemas.Error")).isNotNull();
        assertThat(doc.getMap("paths").keySet()).allSatisfy(p -> assertThat((String) p).startsWith("/api/v1/"));
    }

    @ParameterizedTest
    @CsvSource({"19082", "19083", "19085"})
    void swaggerUiIsServedLocally(int port) {
        given().get("http://127.0.0.1:" + port + "/q/swagger-ui/").then().statusCode(200);
    }

    private static JsonPath document(int port) {
        return given().queryParam("format", "json").get("http://127.0.0.1:" + port + "/q/openapi")
                .then().statusCode(200).extract().jsonPath();
    }
}
