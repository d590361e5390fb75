package dev.kanmon.auth.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Real service tokens from the running Keycloak (realm kanmon of bin/kanmon-stack), for calls to {@code /internal/*}
 * as the submission-service makes them (docs/service-identity.md).
 */
public final class ServiceTokens {

    /** The submission-service's client, whose service account holds {@code kanmon-internal}/{@code internal-caller}. */
    public static final String SUBMISSION_CLIENT = "kanmon-submission";
    public static final String SUBMISSION_SECRET = "kanmon-submission-secret";

    private static volatile String cached;
    private static volatile long cachedUntil;

    private ServiceTokens() {
    }

    /** An access token of {@code clientId} by the client credentials grant. */
    public static String clientToken(String clientId, String secret) {
        return given().contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", clientId)
                .formParam("client_secret", secret)
                .post(issuer() + "/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    /**
     * The realm whose tokens this service trusts (quarkus.oidc), not {@code kanmon.auth.keycloak.url}: a test profile
     * may point the password checks at an unreachable Keycloak while the caller still holds a valid token.
     */
    private static String issuer() {
        return ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class);
    }

    /** The submission-service's token, reused for a minute (tokens live 300 s). */
    public static String submission() {
        if (cached == null || System.currentTimeMillis() > cachedUntil) {
            cached = clientToken(SUBMISSION_CLIENT, SUBMISSION_SECRET);
            cachedUntil = System.currentTimeMillis() + 60_000;
        }
        return cached;
    }

    /** {@code given()} with the submission-service's bearer token: a call to {@code /internal/*} as it makes it. */
    public static RequestSpecification internal() {
        return given().header("Authorization", "Bearer " + submission());
    }
}
