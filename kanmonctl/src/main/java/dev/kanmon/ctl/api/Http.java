package dev.kanmon.ctl.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/** JSON over HTTP with the JDK client; every failure becomes a {@link CliException} with the API's own reason. */
public final class Http {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Sends a request; {@code body} is JSON (or null), the answer is parsed JSON ({@link NullNode} when empty). */
    public JsonNode send(String method, URI uri, String bearer, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json");
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        try {
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
        } catch (IOException e) {
            throw new CliException(Exit.FAILED, e.getMessage());
        }
        return parse(uri, exchange(b.build()));
    }

    /** A form POST (Keycloak's token and device endpoints); the answer's JSON whatever the status. */
    public HttpResponse<String> form(URI uri, Map<String, String> fields) {
        StringJoiner form = new StringJoiner("&");
        fields.forEach((k, v) -> form.add(enc(k) + "=" + enc(v)));
        return exchange(HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build());
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** {@code ?a=1&b=2} of the non-null values, or "". */
    public static String query(Map<String, ?> params) {
        StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
        params.forEach((k, v) -> {
            if (v != null) {
                q.add(enc(k) + "=" + enc(v.toString()));
            }
        });
        return q.toString();
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpTimeoutException e) {
            throw new CliException(Exit.UNREACHABLE, "cannot reach " + request.uri().resolve("/")
                    + " (" + e.getClass().getSimpleName() + "); is the service up, and the URL right?");
        } catch (IOException e) {
            throw new CliException(Exit.UNREACHABLE, "cannot reach " + request.uri().resolve("/") + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(Exit.FAILED, "interrupted");
        }
    }

    private static JsonNode parse(URI uri, HttpResponse<String> r) {
        JsonNode body = NullNode.getInstance();
        if (!r.body().isBlank()) {
            try {
                body = JSON.readTree(r.body());
            } catch (IOException e) {
                if (r.statusCode() < 400) {
                    throw new CliException(Exit.FAILED, "unexpected answer from " + uri + ": " + r.body());
                }
            }
        }
        if (r.statusCode() >= 400) {
            String why = body.hasNonNull("error") ? body.get("error").asText() : "HTTP " + r.statusCode();
            String hint = switch (r.statusCode()) {
                case 401 -> " (session expired or token refused: run kanmonctl login)";
                case 403 -> " (your account lacks the role this needs: relay-operator, or relay-admin for plans,"
                        + " limits and deletions)";
                default -> "";
            };
            throw new CliException(Exit.ofStatus(r.statusCode()), why + hint);
        }
        return body;
    }
}
