package dev.kanmon.auth.support;

import static dev.kanmon.auth.support.ServiceTokens.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.HashMap;
import java.util.Map;

/** The internal endpoints as the submission-service calls them, and the service's own call counters. */
public final class Calls {

    private Calls() {
    }

    public static ValidatableResponse password(String user, String password, String ip) {
        return internal().contentType(ContentType.JSON).body(passwordBody(user, password, ip))
                .post("/internal/v1/authenticate/password").then().statusCode(200);
    }

    /** A password check that also asks to open the user's quota session with a first escrow block. */
    public static ValidatableResponse passwordOpeningSession(String user, String password, String ip) {
        Map<String, Object> body = passwordBody(user, password, ip);
        body.put("session", Map.of("escrow", true));
        return internal().contentType(ContentType.JSON).body(body)
                .post("/internal/v1/authenticate/password").then().statusCode(200);
    }

    /** A password check as a submission-service sends it that checked the client address against the DNSBL. */
    public static ValidatableResponse passwordScreened(String user, String password, String ip,
            java.util.List<String> dnsblListings) {
        Map<String, Object> body = passwordBody(user, password, ip);
        body.put("dnsblListings", dnsblListings);
        return internal().contentType(ContentType.JSON).body(body)
                .post("/internal/v1/authenticate/password").then().statusCode(200);
    }

    private static Map<String, Object> passwordBody(String user, String password, String ip) {
        Map<String, Object> body = new HashMap<>();
        body.put("username", user);
        body.put("password", password);
        body.put("authzid", null);
        body.put("clientIp", ip);
        body.put("mechanism", "PLAIN");
        return body;
    }

    /** How many password checks this auth-service sent to Keycloak so far (all results). */
    public static double keycloakChecks(MeterRegistry registry) {
        return registry.find("kanmon.auth.keycloak.password.checks").counters().stream()
                .mapToDouble(Counter::count).sum();
    }
}
