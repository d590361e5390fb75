package dev.kanmon.auth.apppassword;

import static dev.kanmon.auth.support.ServiceTokens.internal;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.kanmon.auth.support.Calls;
import dev.kanmon.auth.support.KeycloakTestUsers;
import dev.kanmon.auth.support.KeycloakTestUsers.TestUser;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Self-service app passwords and their use with PLAIN, CRAM-MD5 and SCRAM-SHA-256, against the real Keycloak and
 * PostgreSQL; the test plays the SMTP client's part of each mechanism itself.
 */
@QuarkusTest
class AppPasswordTest {

    @Inject
    MeterRegistry registry;

    private TestUser user;
    private String token;

    @BeforeEach
    void createUser() {
        user = KeycloakTestUsers.create("apppw");
        token = KeycloakTestUsers.token(user.username(), user.password());
    }

    @AfterEach
    void deleteUser() {
        KeycloakTestUsers.delete(user);
    }

    private Map<String, Object> createAppPassword(String label) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("label", label))
                .post("/api/v1/app-passwords")
                .then().statusCode(201)
                .body("label", equalTo(label))
                .body("username", equalTo(user.username()))
                .extract().jsonPath().getMap("");
    }

    @Test
    void createListUseWithPlainAndRevoke() {
        given().get("/api/v1/app-passwords").then().statusCode(401);
        Map<String, Object> created = createAppPassword("Thunderbird");
        String secret = (String) created.get("password");
        String id = (String) created.get("id");

        given().auth().oauth2(token).get("/api/v1/app-passwords")
                .then().statusCode(200)
                .body("id", contains(id))
                .body("[0]", not(hasKey("password")));

        double before = Calls.keycloakChecks(registry);
        String ip = KeycloakTestUsers.uniqueIp();
        Calls.password(user.username(), secret, ip)
                .body("outcome", equalTo("SUCCESS"))
                .body("addresses", contains(user.email(), user.alias()));
        // Checked locally: no Keycloak password check was needed.
        assertThat(Calls.keycloakChecks(registry)).isEqualTo(before);
        given().auth().oauth2(token).get("/api/v1/app-passwords").then().body("[0].lastUsedAt", not(nullValue()));

        given().auth().oauth2(token).delete("/api/v1/app-passwords/" + id).then().statusCode(204);
        given().auth().oauth2(token).delete("/api/v1/app-passwords/" + id).then().statusCode(404);
        Calls.password(user.username(), secret, ip).body("outcome", equalTo("FAILURE"));
    }

    @Test
    void anotherSubscriberCannotRevokeIt() {
        String id = (String) createAppPassword("phone").get("id");
        given().auth().oauth2(KeycloakTestUsers.token("bob", "bob-secret"))
                .delete("/api/v1/app-passwords/" + id).then().statusCode(404);
        given().auth().oauth2(token).get("/api/v1/app-passwords").then().body("id", hasItem(id));
    }

    @Test
    void cramMd5WithAppPassword() {
        String secret = (String) createAppPassword("old client").get("password");
        String challenge = "<" + UUID.randomUUID() + ".1700000000@relay.example.test>";
        cram(user.username(), challenge, CramMd5.digest(secret.getBytes(StandardCharsets.US_ASCII), challenge))
                .body("outcome", equalTo("SUCCESS"))
                .body("user", equalTo(user.username()))
                .body("addresses", contains(user.email(), user.alias()));
        cram(user.username(), challenge, CramMd5.digest("wrong".getBytes(StandardCharsets.US_ASCII), challenge))
                .body("outcome", equalTo("FAILURE"))
                .body("reply.code", equalTo(535));
    }

    private ValidatableResponse cram(String username, String challenge, String digest) {
        return internal().contentType(ContentType.JSON)
                .body(Map.of("username", username, "challenge", challenge, "digest", digest,
                        "clientIp", KeycloakTestUsers.uniqueIp()))
                .post("/internal/v1/authenticate/cram-md5").then().statusCode(200);
    }

    @Test
    void scramSha256WithAppPassword() {
        createAppPassword("unused one");
        String secret = (String) createAppPassword("mutt").get("password");
        String ip = KeycloakTestUsers.uniqueIp();

        Map<String, Object> params = internal().contentType(ContentType.JSON)
                .body(Map.of("username", user.username(), "clientIp", ip))
                .post("/internal/v1/authenticate/scram-sha-256/parameters")
                .then().statusCode(200).body("reply", nullValue())
                .extract().jsonPath().getMap("");
        byte[] salt = Base64.getDecoder().decode((String) params.get("salt"));
        int iterations = (Integer) params.get("iterations");

        String nonce = "cl13nt" + UUID.randomUUID() + "s3rv3r";
        String authMessage = "n=" + user.username() + ",r=cl13nt," + "r=" + nonce + ",s=" + params.get("salt")
                + ",i=" + iterations + ",c=biws,r=" + nonce;
        byte[] salted = Scram.saltedPassword(secret, salt, iterations);
        byte[] clientKey = Scram.hmac(salted, "Client Key");
        byte[] clientSignature = Scram.hmac(Scram.sha256(clientKey), authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
        }
        String expectedServerSignature = Base64.getEncoder()
                .encodeToString(Scram.hmac(Scram.hmac(salted, "Server Key"), authMessage));

        scramProof(authMessage, proof, ip)
                .body("outcome", equalTo("SUCCESS"))
                .body("user", equalTo(user.username()))
                .body("serverSignature", equalTo(expectedServerSignature));
        proof[5] ^= 0x40;
        scramProof(authMessage, proof, ip).body("outcome", equalTo("FAILURE")).body("reply.code", equalTo(535));
    }

    private ValidatableResponse scramProof(String authMessage, byte[] proof, String ip) {
        return internal().contentType(ContentType.JSON)
                .body(Map.of("username", user.username(), "authMessage", authMessage,
                        "clientProof", Base64.getEncoder().encodeToString(proof), "clientIp", ip))
                .post("/internal/v1/authenticate/scram-sha-256/proof").then().statusCode(200);
    }

    @Test
    void scramParametersDoNotRevealWhetherAUserExists() {
        internal().contentType(ContentType.JSON)
                .body(Map.of("username", "no-such-" + UUID.randomUUID(), "clientIp", KeycloakTestUsers.uniqueIp()))
                .post("/internal/v1/authenticate/scram-sha-256/parameters")
                .then().statusCode(200).body("iterations", equalTo(4096)).body("salt", not(nullValue()));
    }

    @Test
    void disabledUserCannotUseAppPasswords() {
        String secret = (String) createAppPassword("laptop").get("password");
        KeycloakTestUsers.setEnabled(user, false);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                Calls.password(user.username(), secret, KeycloakTestUsers.uniqueIp())
                        .body("outcome", equalTo("FAILURE")));
    }
}
