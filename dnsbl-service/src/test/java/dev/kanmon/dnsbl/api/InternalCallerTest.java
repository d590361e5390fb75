package dev.kanmon.dnsbl.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.kanmon.dnsbl.support.ServiceTokens;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * Service identity on {@code GET /internal/v1/check} (docs/service-identity.md), with real tokens of the running
 * Keycloak: only a token holding {@code kanmon-internal}/{@code internal-caller} gets a verdict; anything else is
 * refused before the address is looked at (no DNS query, no verdict counted).
 */
@QuarkusTest
class InternalCallerTest {

    @Inject
    MeterRegistry registry;

    private double verdicts() {
        return registry.find("kanmon.dnsbl.verdicts").counters().stream().mapToDouble(Counter::count).sum();
    }

    @Test
    void withoutAValidServiceCredentialTheCheckIsRefused() {
        double before = verdicts();
        given().queryParam("ip", "127.0.0.2").get("/internal/v1/check").then().statusCode(401);
        given().header("Authorization", "Bearer not.a.jwt").queryParam("ip", "127.0.0.2").get("/internal/v1/check")
                .then().statusCode(401);
        String token = ServiceTokens.submission();
        String forged = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        given().auth().oauth2(forged).queryParam("ip", "127.0.0.2").get("/internal/v1/check").then().statusCode(401);
        // tokens of the realm without the role: a subscriber's, an operator's, other service accounts
        for (String other : new String[] {
                ServiceTokens.userToken("alice", "alice-secret"),
                ServiceTokens.userToken("operator", "operator-secret"),
                ServiceTokens.clientToken("smtp-submission", "smtp-submission-secret"),
                ServiceTokens.clientToken("kanmon-admin", "kanmon-admin-secret")}) {
            given().auth().oauth2(other).queryParam("ip", "127.0.0.2").get("/internal/v1/check").then().statusCode(403);
        }
        assertThat(verdicts()).isEqualTo(before);
    }

    @Test
    void theSubmissionServiceTokenGetsAVerdict() {
        double before = verdicts();
        ServiceTokens.internal().queryParam("ip", "127.0.0.2").get("/internal/v1/check").then().statusCode(200)
                .body("verdict", equalTo("BLOCK"));
        assertThat(verdicts()).isEqualTo(before + 1);
    }
}
