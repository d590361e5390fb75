package dev.kanmon.dnsbl.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Real tokens from the running Keycloak (realm kanmon of bin/kanmon-stack), for calls to {@code /internal/*} as the
 * submission-service makes them (docs/service-identity.md).
 */
public final class ServiceTokens {

    public static final String TOKEN_URL = "http://127.0.0.1:18080/realms/kanmon/protocol/openid-connect/token";

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
                .post(TOKEN_URL).then().statusCode(200).extract().path("access_token");
    }

    /** A user's access token of the public client kanmon-cli. */
    public static String userToken(String user, String password) {
        return given().contentType(ContentType.URLENC)
                .formParam("grant_type", "password").formParam("client_id", "kanmon-cli")
                .formParam("username", user).formParam("password", password)
                .post(TOKEN_URL).then().statusCode(200).extract().path("access_token");
    }

    /** The submission-service's token (client kanmon-submission), reused for a minute (tokens live 300 s). */
    public static String submission() {
        if (cached == null || System.currentTimeMillis() > cachedUntil) {
            cached = clientToken("kanmon-submission", "kanmon-submission-secret");
            cachedUntil = System.currentTimeMillis() + 60_000;
        }
        return cached;
    }

    /** {@code given()} with the submission-service's bearer token. */
    public static RequestSpecification internal() {
        return given().header("Authorization", "Bearer " + submission());
    }
}
