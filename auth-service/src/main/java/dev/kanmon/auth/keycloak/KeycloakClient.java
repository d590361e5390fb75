package dev.kanmon.auth.keycloak;

import dev.kanmon.auth.config.AuthConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import dev.kanmon.auth.credential.Identity;
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

/**
 * Keycloak over keep-alive HTTP, always as the {@code smtp-submission} service account (client credentials, token
 * reused until shortly before it expires): password checks through the Kanmon extension's credential endpoint,
 * and the admin API for user look-ups and the list of disabled users.
 */
@ApplicationScoped
public class KeycloakClient {

    /** Pages of the disabled-user listing; bounded so a huge realm cannot make one poll unbounded. */
    private static final int PAGE = 500;
    private static final int MAX_PAGES = 100;

    private final WebClient client;
    private final AuthConfig.Keycloak config;
    private final String tokenUrl;
    private final String verifyUrl;
    private final String usersUrl;
    private final long timeoutMillis;
    private final MeterRegistry registry;
    private final Clock clock = Clock.systemUTC();
    private volatile String serviceToken;
    private volatile long serviceTokenExpiresAt;
    private volatile Uni<String> pendingToken;
    private final CheckGate gate;

    @Inject
    public KeycloakClient(Vertx vertx, AuthConfig config, MeterRegistry registry) {
        this.config = config.keycloak();
        this.gate = new CheckGate(vertx, this.config.maxConcurrentChecks(), this.config.checkQueueTimeout().toMillis());
        registry.gauge("kanmon.auth.keycloak.password.checks.running", gate, CheckGate::running);
        registry.gauge("kanmon.auth.keycloak.password.checks.waiting", gate, CheckGate::waiting);
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setKeepAlive(true)
                .setMaxPoolSize(this.config.maxPoolSize())
                .setConnectTimeout((int) this.config.connectTimeout().toMillis()));
        String base = this.config.url().endsWith("/") ? this.config.url().substring(0, this.config.url().length() - 1)
                : this.config.url();
        this.tokenUrl = base + "/realms/" + this.config.realm() + "/protocol/openid-connect/token";
        this.verifyUrl = base + "/realms/" + this.config.realm() + "/kanmon/credentials/verify";
        this.usersUrl = base + "/admin/realms/" + this.config.realm() + "/users";
        this.timeoutMillis = this.config.timeout().toMillis();
        this.registry = registry;
    }

    /**
     * One password check by the Kanmon extension inside Keycloak: no session, no token. At most
     * {@code max-concurrent-checks} run at once, the rest wait in line (docs/authentication.md). Every call is counted
     * in {@code kanmon.auth.keycloak.password.checks} by result.
     */
    public Uni<PasswordCheck> verifyPassword(String username, String password) {
        JsonObject body = new JsonObject().put("username", username).put("password", password);
        return gate.run(() -> verify(body, true))
                .onFailure().recoverWithItem(err -> new PasswordCheck.Unavailable(err.toString()))
                .invoke(result -> registry.counter("kanmon.auth.keycloak.password.checks", "result",
                        result.getClass().getSimpleName().toLowerCase()).increment());
    }

    private Uni<PasswordCheck> verify(JsonObject body, boolean retryOn401) {
        return serviceToken().chain(token -> client.postAbs(verifyUrl).bearerTokenAuthentication(token)
                .timeout(timeoutMillis).sendJsonObject(body))
                .chain(response -> {
                    if (response.statusCode() == 401 && retryOn401) {
                        // the cached service-account token was revoked or Keycloak restarted: one fresh token
                        serviceToken = null;
                        return verify(body, false);
                    }
                    return Uni.createFrom().item(toPasswordCheck(response));
                });
    }

    static PasswordCheck toPasswordCheck(HttpResponse<Buffer> response) {
        if (response.statusCode() != 200) {
            // 401/403: our service account lacks the credential-verifier role; 404: extension not deployed
            return new PasswordCheck.Unavailable("credential check answered HTTP " + response.statusCode());
        }
        JsonObject answer = response.bodyAsJsonObject();
        String result = answer.getString("result", "");
        return switch (result) {
            case "VALID" -> new PasswordCheck.Valid(new Identity(answer.getString("userId"), answer.getString("username"),
                    Claims.addresses(answer.getString("email"), answer.getValue("aliases"))),
                    answer.getBoolean("secondFactor", false));
            case "INVALID" -> new PasswordCheck.Invalid();
            case "DISABLED" -> new PasswordCheck.Disabled(answer.getString("userId"));
            case "LOCKED" -> new PasswordCheck.Locked(answer.getString("userId"));
            default -> new PasswordCheck.Unavailable("unknown credential check result " + result);
        };
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

    /** The user with this id, empty if Keycloak has none (deleted). */
    public Uni<Optional<DirectoryUser>> findUserById(String userId) {
        return serviceToken().chain(token -> client.getAbs(usersUrl + "/" + userId)
                .bearerTokenAuthentication(token)
                .timeout(timeoutMillis)
                .send())
                .map(response -> {
                    if (response.statusCode() == 404) {
                        return Optional.<DirectoryUser>empty();
                    }
                    if (response.statusCode() == 401) {
                        serviceToken = null;
                    }
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("Keycloak admin API answered HTTP " + response.statusCode());
                    }
                    return Optional.of(Claims.fromRepresentation(response.bodyAsJsonObject()));
                });
    }

    /** Ids of all disabled users of the realm (paged, bounded): one query per page, however many users. */
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

    /**
     * client_credentials token of the service account, reused until shortly before it expires. Concurrent callers
     * while it is renewed share one token request (a burst of cold checks must not become a burst of grants).
     */
    private Uni<String> serviceToken() {
        String token = serviceToken;
        if (token != null && clock.millis() < serviceTokenExpiresAt) {
            return Uni.createFrom().item(token);
        }
        synchronized (this) {
            if (pendingToken == null) {
                pendingToken = fetchServiceToken()
                        .onTermination().invoke(() -> pendingToken = null)
                        .memoize().indefinitely();
            }
            return pendingToken;
        }
    }

    private Uni<String> fetchServiceToken() {
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

    @PreDestroy
    void close() {
        client.close();
    }
}
