package dev.kanmon.auth.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.auth.support.KeycloakTestUsers;
import dev.kanmon.auth.support.ServiceTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verified-token cache in front of Quarkus OIDC, against the real Keycloak realm. */
@QuarkusTest
class VerifiedTokensTest {

    @Inject
    VerifiedTokens tokens;

    private static int close(String token) {
        var request = given().contentType("application/json").body(Map.of("sessions", java.util.List.of()));
        if (token != null) {
            request = request.auth().oauth2(token);
        }
        return request.post("/internal/v1/quota/sessions/close").statusCode();
    }

    @Inject
    @Any
    Instance<IdentityProvider<?>> providers;

    @Test
    void theCacheIsAskedBeforeEveryOtherTokenProvider() {
        // equal priorities leave the order to chance: OIDC's provider had the interface default, as this one did
        List<IdentityProvider<?>> tokenProviders = providers.stream()
                .filter(p -> p.getRequestType() == TokenAuthenticationRequest.class).toList();
        assertThat(tokenProviders).hasSizeGreaterThan(1);
        IdentityProvider<?> first = tokenProviders.stream()
                .max(Comparator.comparingInt(IdentityProvider::priority)).orElseThrow();
        assertThat(first.getClass().getName()).startsWith(CachedTokenIdentityProvider.class.getName());
        assertThat(tokenProviders).filteredOn(p -> p != first)
                .allSatisfy(p -> assertThat(p.priority()).isLessThan(first.priority()));
    }

    @Test
    void aVerifiedTokenIsReusedAndNothingElseRidesOnIt() {
        String token = ServiceTokens.submission();
        assertThat(close(token)).isEqualTo(204);
        assertThat(tokens.find(token)).as("kept after OIDC verified it").isNotNull();
        assertThat(tokens.find(token).getRoles()).contains("internal-caller");
        assertThat(close(token)).as("served from the cache").isEqualTo(204);

        // the same token with its signature altered is another string: OIDC sees it, and refuses it
        String[] parts = token.split("\\.");
        char last = parts[2].charAt(parts[2].length() - 2);
        String forged = parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 2)
                + (last == 'A' ? 'B' : 'A') + parts[2].charAt(parts[2].length() - 1);
        assertThat(close(forged)).isEqualTo(401);
        assertThat(tokens.find(forged)).isNull();

        // a subscriber's token is verified and kept too, with its own roles only: refused, also the second time
        String alice = KeycloakTestUsers.token("alice", "alice-secret");
        assertThat(close(alice)).isEqualTo(403);
        assertThat(tokens.find(alice)).isNotNull();
        assertThat(tokens.find(alice).getRoles()).doesNotContain("internal-caller");
        assertThat(close(alice)).isEqualTo(403);
    }
}
