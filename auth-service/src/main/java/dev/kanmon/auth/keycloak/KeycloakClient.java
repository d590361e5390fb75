package dev.kanmon.auth.keycloak;

import dev.kanmon.auth.config.AuthConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Keycloak over keep-alive HTTP: the Resource Owner Password grant for password checks, and the admin API (through
 * the same client's service account) for user look-ups and the list of disabled users.
 */
@ApplicationScoped
public class KeycloakClient {

    private static final Logger LOG = Logger.getLogger(KeycloakClient.class);
    /** Pages of the disabled-user listing; bounded so a huge realm cannot make one poll unbounded. */
    private static final int PAGE = 500;
    private static final int MAX_PAGES = 100;

    private final WebClient client;
    private final AuthConfig.Keycloak config;
    private final String tokenUrl;
    private final String usersUrl;
    private final long timeoutMillis;
    private final MeterRegistry registry;
    private final Clock clock = Clock.systemUTC();
    private volatile String serviceToken;
    private volatile long serviceTokenExpiresAt;

    @Inject
    public KeycloakClient(Vertx vertx, AuthConfig config, MeterRegistry registry) {
        this.config = config.keycloak();
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setKeepAlive(true)
                .setMaxPoolSize(this.config.maxPoolSize())
                .setConnectTimeout((int) this.config.connectTimeout().toMillis()));
        String base = this.config.url().endsWith("/") ? this.config.url().substring(0, this.config.url().length() - 1)
                : this.config.url();
        this.tokenUrl = base + "/realms/" + this.config.realm() + "/protocol/openid-connect/token";
        this.usersUrl = base + "/admin/realms/" + this.config.realm() + "/users";
        this.timeoutMillis = this.config.timeout().toMillis();
        this.registry = registry;
    }

    /** One password check; every call is counted in {@code kanmon.auth.keycloak.password.grants}. */
    public Uni<GrantResult> passwordGrant(String username, String password) {
        MultiMap form = MultiMap.caseInsensitiveMultiMap()
                .add("grant_type", "password")
                .add("client_id", config.clientId())
                .add("client_secret", config.clientSecret())
                .add("username", username)
                .add("password", password);
        return client.postAbs(tokenUrl).timeout(timeoutMillis).sendForm(form)
                .map(KeycloakClient::toGrantResult)
                .onFailure().recoverWithItem(err -> new GrantResult.Unavailable(err.toString()))
                .invoke(result -> registry.counter("kanmon.auth.keycloak.password.grants", "result",
                        result.getClass().getSimpleName().toLowerCase()).increment());
    }

    static GrantResult toGrantResult(HttpResponse<Buffer> response) {
        int status = response.statusCode();
        if (status == 200) {
            String token = response.bodyAsJsonObject().getString("access_token");
            return new GrantResult.Granted(Claims.fromClaims(Claims.payload(token)));
        }
        JsonObject error = safeJson(response);
        String code = error == null ? null : error.getString("error");
        // invalid_grant covers "Invalid user credentials" (401) and "Account disabled" (400): the subscriber's fault.
        if ((status == 400 || status == 401) && "invalid_grant".equals(code)) {
            return new GrantResult.Rejected(error.getString("error_description"));
        }
        // invalid_client, unauthorized_client, 5xx: our configuration or Keycloak is broken, not the password.
        return new GrantResult.Unavailable("HTTP " + status + " " + code);
    }

    /** The user with exactly this user name, if any. */
    public Uni<Optional<DirectoryUser>> findUser(String username) {
        return serviceToken().chain(token -> client.getAbs(usersUrl)
                .addQueryParam("username", username)
                .addQueryParam("exact", "true")
                .addQueryParam("briefRepresentation", "false")
                .bearerTokenAuthentication(token)
                .timeout(timeoutMillis)
                .send())
                .map(response -> {
                    JsonArray users = okArray(response);
                    for (int i = 0; i < users.size(); i++) {
                        JsonObject user = users.getJsonObject(i);
                        if (username.equalsIgnoreCase(user.getString("username"))) {
                            return Optional.of(Claims.fromRepresentation(user));
                        }
                    }
                    return Optional.empty();
                });
    }

    /** Ids of all disabled users of the realm (paged, bounded). */
    public Uni<Set<String>> disabledUserIds() {
        return serviceToken().chain(token -> page(token, 0, new HashSet<>()));
    }

    private Uni<Set<String>> page(String token, int pageNo, Set<String> ids) {
        return client.getAbs(usersUrl)
                .addQueryParam("enabled", "false")
                .addQueryParam("briefRepresentation", "true")
                .addQueryParam("first", Integer.toString(pageNo * PAGE))
                .addQueryParam("max", Integer.toString(PAGE))
                .bearerTokenAuthentication(token)
                .timeout(timeoutMillis)
                .send()
                .chain(response -> {
                    JsonArray users = okArray(response);
                    for (int i = 0; i < users.size(); i++) {
                        ids.add(users.getJsonObject(i).getString("id"));
                    }
                    if (users.size() < PAGE || pageNo + 1 >= MAX_PAGES) {
                        return Uni.createFrom().item(ids);
                    }
                    return page(token, pageNo + 1, ids);
                });
    }

    private JsonArray okArray(HttpResponse<Buffer> response) {
        if (response.statusCode() == 401) {
            serviceToken = null;
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Keycloak admin API answered HTTP " + response.statusCode());
        }
        return response.bodyAsJsonArray();
    }

    /** client_credentials token of the service account, reused until shortly before it expires. */
    private Uni<String> serviceToken() {
        String token = serviceToken;
        if (token != null && clock.millis() < serviceTokenExpiresAt) {
            return Uni.createFrom().item(token);
        }
        MultiMap form = MultiMap.caseInsensitiveMultiMap()
                .add("grant_type", "client_credentials")
                .add("client_id", config.clientId())
                .add("client_secret", config.clientSecret());
        return client.postAbs(tokenUrl).timeout(timeoutMillis).sendForm(form).map(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("service-account token: HTTP " + response.statusCode());
            }
            JsonObject body = response.bodyAsJsonObject();
            String fresh = body.getString("access_token");
            long lifetime = body.getLong("expires_in", 60L);
            serviceTokenExpiresAt = clock.millis() + Math.max(5, lifetime - 30) * 1000;
            serviceToken = fresh;
            return fresh;
        });
    }

    private static JsonObject safeJson(HttpResponse<Buffer> response) {
        try {
            return response.bodyAsJsonObject();
        } catch (RuntimeException e) {
            LOG.debugf("unreadable Keycloak error body: %s", e.getMessage());
            return null;
        }
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
