package dev.kanmon.console.backend;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kanmon.console.ConsoleConfig;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Calls to the operator APIs as the logged-in operator: their own access token goes along, so each service checks
 * the role and records the operator's name exactly as for kanmonctl. Answers come back as maps and lists for Qute.
 */
@ApplicationScoped
public class Backend {

    private static final TypeReference<Object> ANY = new TypeReference<>() {
    };

    private final ConsoleConfig config;
    private final ObjectMapper json;
    private final SecurityIdentity identity;
    private final HttpClient http;

    Backend(ConsoleConfig config, ObjectMapper json, SecurityIdentity identity) {
        this.config = config;
        this.json = json;
        this.identity = identity;
        this.http = HttpClient.newBuilder().connectTimeout(config.callTimeout()).build();
    }

    /** The three services. */
    public enum Service { AUTH, QUEUE, DNSBL }

    @SuppressWarnings("unchecked")
    public Map<String, Object> object(Service s, String method, String path, Object body) {
        Object answer = call(s, method, path, body);
        return answer instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    public List<Object> list(Service s, String path) {
        Object answer = call(s, "GET", path, null);
        return answer instanceof List<?> l ? (List<Object>) l : List.of();
    }

    public Object call(Service s, String method, String path, Object body) {
        URI base = switch (s) {
            case AUTH -> config.authUrl();
            case QUEUE -> config.queueUrl();
            case DNSBL -> config.dnsblUrl();
        };
        AccessTokenCredential token = identity.getCredential(AccessTokenCredential.class);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(config.callTimeout())
                .header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token.getToken());
        }
        try {
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            Object answer = r.body().isBlank() ? null : json.readValue(r.body(), ANY);
            if (r.statusCode() >= 400) {
                String why = answer instanceof Map<?, ?> m && m.get("error") != null ? m.get("error").toString()
                        : "HTTP " + r.statusCode();
                throw new BackendException(r.statusCode(), why);
            }
            return answer;
        } catch (IOException e) {
            throw new BackendException(0, s.name().toLowerCase() + "-service unreachable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException(0, "interrupted");
        }
    }

    /** A path segment or query value, encoded. */
    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code ?a=1&b=2} of the non-blank values, or "". */
    public static String query(Map<String, ?> params) {
        StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
        params.forEach((k, v) -> {
            if (v != null && !v.toString().isBlank()) {
                q.add(enc(k) + "=" + enc(v.toString()));
            }
        });
        return q.toString();
    }
}
