package dev.kanmon.auth.api;

import static org.hamcrest.Matchers.equalTo;

import dev.kanmon.auth.support.Calls;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keycloak unreachable (nothing listens on the configured port): TEMPFAIL 454 4.7.0, never 535, never a ban. */
@QuarkusTest
@TestProfile(KeycloakDownTest.Unreachable.class)
class KeycloakDownTest {

    /** Points the Keycloak calls at a closed loopback port. */
    public static class Unreachable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kanmon.auth.keycloak.url", "http://127.0.0.1:1");
        }
    }

    @Test
    void unreachableKeycloakIsTemporaryFailure() {
        for (int i = 0; i < 15; i++) {
            Calls.password("alice", "alice-secret", "198.18.255.254")
                    .body("outcome", equalTo("TEMPFAIL"))
                    .body("reply.code", equalTo(454))
                    .body("reply.enhanced", equalTo("4.7.0"))
                    .body("reply.text", equalTo("Temporary authentication failure"));
        }
    }
}
