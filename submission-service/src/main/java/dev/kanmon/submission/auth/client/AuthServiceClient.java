package dev.kanmon.submission.auth.client;

import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.identity.ServiceCredential;
import dev.kanmon.submission.quota.QuotaClient;
import dev.kanmon.submission.quota.QuotaVerdict;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The auth-service's {@code /internal/v1/authenticate/*} endpoints (docs/authentication.md) over keep-alive HTTP.
 * Never fails its future: a transport error, timeout, non-200 status or unreadable body becomes TEMPFAIL with
 * {@code 454 4.7.0}, so a down auth-service makes clients retry instead of losing their credentials' reputation.
 * When the auth-service is also the quota ledger, every check asks it to open the session on success, so that an
 * AUTH costs one exchange (docs/throttling.md). Every call carries the service's bearer token
 * ({@link ServiceCredential}, docs/service-identity.md); the auth-service answers 401/403 to anything else. A check
 * carries {@code dnsblListings}, the DNSBL's say on the client address for the abuse signals, only when it was asked
 * (absent: not checked, as from an older submission-service).
 */
@ApplicationScoped
public class AuthServiceClient {

    private static final Logger LOG = Logger.getLogger(AuthServiceClient.class);
    static final String BASE_PATH = "/internal/v1/authenticate/";
    /** Open the session with a first escrow block if the credentials are good. */
    private static final JsonObject ADMISSION = new JsonObject().put("escrow", true);

    private final WebClient client;
    private final String baseUrl;
    private final long timeoutMillis;
    private final boolean admit;
    private final ServiceCredential credential;

    @Inject
    AuthServiceClient(Vertx vertx, SubmissionAuthConfig config, QuotaClient quota, ServiceCredential credential) {
        this(vertx, config, quota.admitsWith(config.url()), credential);
    }

    /**
     * @param admit      whether each check asks the auth-service to open the quota session on success
     * @param credential the service identity presented on every call
     */
    public AuthServiceClient(Vertx vertx, SubmissionAuthConfig config, boolean admit, ServiceCredential credential) {
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setKeepAlive(true)
                .setMaxPoolSize(config.maxPoolSize())
                .setConnectTimeout((int) config.connectTimeout().toMillis()));
        String url = config.url();
        this.baseUrl = (url.endsWith("/") ? url.substring(0, url.length() - 1) : url) + BASE_PATH;
        this.timeoutMillis = config.timeout().toMillis();
        this.admit = admit;
        this.credential = credential;
    }

    /** PLAIN/LOGIN: app password or Keycloak password. */
    public Future<AuthResult> password(String username, String password, String authzid, String clientIp,
            String mechanism, List<String> dnsblListings) {
        return decide("password", new JsonObject()
                .put("username", username)
                .put("password", password)
                .put("authzid", authzid)
                .put("clientIp", clientIp)
                .put("mechanism", mechanism), dnsblListings);
    }

    /** CRAM-MD5: the auth-service recomputes HMAC-MD5 over the challenge with each of the user's app passwords. */
    public Future<AuthResult> cramMd5(String username, String challenge, String digest, String clientIp,
            List<String> dnsblListings) {
        return decide("cram-md5", new JsonObject()
                .put("username", username)
                .put("challenge", challenge)
                .put("digest", digest)
                .put("clientIp", clientIp), dnsblListings);
    }

    /** SCRAM-SHA-256 step 1: the user's salt and iteration count. */
    public Future<ScramParameters> scramParameters(String username, String clientIp) {
        return post("scram-sha-256/parameters", new JsonObject().put("username", username).put("clientIp", clientIp))
                .map(body -> {
                    SmtpReply reply = reply(body.getJsonObject("reply"));
                    if (reply != null) {
                        return new ScramParameters(null, 0, reply);
                    }
                    return new ScramParameters(Base64.getDecoder().decode(body.getString("salt")),
                            body.getInteger("iterations"), null);
                })
                .otherwise(err -> {
                    LOG.warnf("auth-service SCRAM parameters failed: %s", err.toString());
                    return new ScramParameters(null, 0, AuthResult.TEMPORARY);
                });
    }

    /** SCRAM-SHA-256 step 2: the auth-service checks ClientProof against the stored verifiers. */
    public Future<AuthResult> scramProof(String username, String authMessage, byte[] clientProof, String clientIp,
            List<String> dnsblListings) {
        return decide("scram-sha-256/proof", new JsonObject()
                .put("username", username)
                .put("authMessage", authMessage)
                .put("clientProof", Base64.getEncoder().encodeToString(clientProof))
                .put("clientIp", clientIp), dnsblListings);
    }

    /** OAUTHBEARER/XOAUTH2: the auth-service validates the Keycloak access token. */
    public Future<AuthResult> token(String token, String username, String clientIp, String mechanism,
            List<String> dnsblListings) {
        return decide("token", new JsonObject()
                .put("token", token)
                .put("username", username)
                .put("clientIp", clientIp)
                .put("mechanism", mechanism), dnsblListings);
    }

    /**
     * Login-before-SMTP: SUCCESS with the user whose login at the ISP opened a window for this client address (and
     * the quota session, as after a check), FAILURE {@code 530 5.7.0} when there is none (docs/authentication.md).
     */
    public Future<AuthResult> window(String clientIp) {
        return decide("window", new JsonObject().put("clientIp", clientIp), null);
    }

    private Future<AuthResult> decide(String path, JsonObject request, List<String> dnsblListings) {
        if (dnsblListings != null) {
            request.put("dnsblListings", new JsonArray(dnsblListings));
        }
        if (admit) {
            request.put("session", ADMISSION);
        }
        long sentAt = System.nanoTime();
        return post(path, request)
                .map(body -> toResult(body, sentAt))
                .otherwise(err -> {
                    LOG.warnf("auth-service %s failed, answering 454: %s", path, err.toString());
                    return AuthResult.tempfail();
                });
    }

    private Future<JsonObject> post(String path, JsonObject request) {
        return credential.send(authorization -> client.postAbs(baseUrl + path)
                        .putHeader("Authorization", authorization)
                        .timeout(timeoutMillis)
                        .sendJsonObject(request))
                .map(AuthServiceClient::body);
    }

    private static JsonObject body(HttpResponse<?> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("auth-service answered HTTP " + response.statusCode());
        }
        JsonObject body = response.bodyAsJsonObject();
        if (body == null) {
            throw new IllegalStateException("empty body");
        }
        return body;
    }

    /** Maps the contract's JSON ({@code outcome, user, addresses[], reply, serverSignature, session, userId}). */
    static AuthResult toResult(JsonObject body, long sentAt) {
        AuthResult.Outcome outcome = AuthResult.Outcome.valueOf(body.getString("outcome"));
        List<String> addresses = new ArrayList<>();
        JsonArray array = body.getJsonArray("addresses", new JsonArray());
        for (int i = 0; i < array.size(); i++) {
            addresses.add(array.getString(i));
        }
        SmtpReply reply = reply(body.getJsonObject("reply"));
        String user = body.getString("user");
        if (outcome == AuthResult.Outcome.SUCCESS ? user == null : reply == null) {
            throw new IllegalStateException("incomplete " + outcome + " answer");
        }
        String signature = body.getString("serverSignature");
        JsonObject session = outcome == AuthResult.Outcome.SUCCESS ? body.getJsonObject("session") : null;
        return new AuthResult(outcome, user, addresses, reply,
                signature == null ? null : Base64.getDecoder().decode(signature),
                session == null ? null : QuotaVerdict.fromJson(session, sentAt),
                outcome == AuthResult.Outcome.SUCCESS ? body.getString("userId") : null);
    }

    private static SmtpReply reply(JsonObject r) {
        return r == null ? null : SmtpReply.of(r.getInteger("code"), r.getString("enhanced"), r.getString("text"));
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
