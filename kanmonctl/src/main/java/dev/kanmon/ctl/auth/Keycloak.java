package dev.kanmon.ctl.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kanmon.ctl.api.CliException;
import dev.kanmon.ctl.api.Exit;
import dev.kanmon.ctl.api.Http;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Logins against Keycloak's OpenID Connect endpoints: the device authorisation grant (RFC 8628) for people, client
 * credentials for automation, and the refresh of either when a token has expired.
 */
public final class Keycloak {

    /** A token is renewed this long before it expires, so that it does not expire on its way. */
    private static final Duration MARGIN = Duration.ofSeconds(20);

    private final URI realm;
    private final Http http;
    private final Clock clock;

    public Keycloak(URI realm, Http http, Clock clock) {
        this.realm = realm;
        this.http = http;
        this.clock = clock;
    }

    /** RFC 8628: shows the verification address and code, then polls until the operator has confirmed. */
    public Session deviceLogin(String clientId, PrintWriter out) {
        JsonNode device = json(http.form(endpoint("auth/device"), Map.of("client_id", clientId, "scope", "openid")),
                "device authorisation");
        String uri = device.path("verification_uri_complete").asText(device.path("verification_uri").asText());
        out.printf("Open %s in a browser and confirm the code %s%n(waiting up to %d s)%n", uri,
                device.path("user_code").asText(), device.path("expires_in").asLong(600));
        out.flush();
        long interval = Math.max(1, device.path("interval").asLong(5));
        Instant deadline = clock.instant().plusSeconds(device.path("expires_in").asLong(600));
        Map<String, String> poll = Map.of("grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                "client_id", clientId, "device_code", device.path("device_code").asText());
        while (clock.instant().isBefore(deadline)) {
            sleep(interval);
            HttpResponse<String> r = http.form(endpoint("token"), poll);
            JsonNode answer = parse(r);
            String error = answer.path("error").asText("");
            switch (error) {
                case "" -> {
                    return session(clientId, null, answer);
                }
                case "authorization_pending" -> {
                }
                case "slow_down" -> interval += 5;
                case "access_denied" -> throw new CliException(Exit.NOT_LOGGED_IN, "login refused in the browser");
                case "expired_token" -> throw new CliException(Exit.NOT_LOGGED_IN, "the code expired; log in again");
                default -> throw refused("device login", answer);
            }
        }
        throw new CliException(Exit.NOT_LOGGED_IN, "the code expired; log in again");
    }

    /** Client credentials of a confidential client with a service account (e.g. kanmon-automation). */
    public Session clientCredentials(String clientId, String secret) {
        return session(clientId, secret, json(http.form(endpoint("token"), Map.of("grant_type",
                "client_credentials", "client_id", clientId, "client_secret", secret)), "client-credentials login"));
    }

    /** The session's token, renewed first when it is about to expire; the renewed session is returned. */
    public Session fresh(Session s) {
        Instant now = clock.instant();
        if (s.expiresAt().isAfter(now.plus(MARGIN))) {
            return s;
        }
        if (s.clientSecret() != null) {
            return clientCredentials(s.clientId(), s.clientSecret());
        }
        if (s.refreshToken() != null && (s.refreshExpiresAt() == null || s.refreshExpiresAt().isAfter(now))) {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", "refresh_token");
            form.put("client_id", s.clientId());
            form.put("refresh_token", s.refreshToken());
            HttpResponse<String> r = http.form(endpoint("token"), form);
            if (r.statusCode() == 200) {
                return session(s.clientId(), null, parse(r));
            }
        }
        throw new CliException(Exit.NOT_LOGGED_IN, "the session of " + s.user() + " has expired: run kanmonctl login");
    }

    private Session session(String clientId, String secret, JsonNode t) {
        Instant now = clock.instant();
        String access = t.path("access_token").asText();
        long refreshIn = t.path("refresh_expires_in").asLong(0);
        return new Session(clientId, secret, username(access), access, now.plusSeconds(t.path("expires_in").asLong(60)),
                t.hasNonNull("refresh_token") ? t.get("refresh_token").asText() : null,
                refreshIn > 0 ? now.plusSeconds(refreshIn) : null);
    }

    /** The {@code preferred_username} of a JWT, read without verifying it: only to show who is logged in. */
    static String username(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            return "?";
        }
        try {
            JsonNode claims = Http.JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]),
                    StandardCharsets.UTF_8));
            return claims.path("preferred_username").asText(claims.path("sub").asText("?"));
        } catch (IOException | IllegalArgumentException e) {
            return "?";
        }
    }

    private URI endpoint(String path) {
        return URI.create(realm + "/protocol/openid-connect/" + path);
    }

    private static JsonNode json(HttpResponse<String> r, String what) {
        JsonNode answer = parse(r);
        if (r.statusCode() != 200) {
            throw refused(what, answer);
        }
        return answer;
    }

    private static JsonNode parse(HttpResponse<String> r) {
        try {
            return Http.JSON.readTree(r.body().isBlank() ? "{}" : r.body());
        } catch (IOException e) {
            throw new CliException(Exit.FAILED, "Keycloak answered HTTP " + r.statusCode() + " with " + r.body());
        }
    }

    private static CliException refused(String what, JsonNode answer) {
        return new CliException(Exit.NOT_LOGGED_IN, what + " refused by Keycloak: "
                + answer.path("error_description").asText(answer.path("error").asText("unknown error")));
    }

    private static void sleep(long seconds) {
        try {
            Thread.sleep(seconds * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(Exit.FAILED, "interrupted");
        }
    }
}
