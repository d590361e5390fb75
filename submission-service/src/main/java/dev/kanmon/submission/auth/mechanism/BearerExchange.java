package dev.kanmon.submission.auth.mechanism;

import dev.kanmon.submission.auth.AuthContext;
import dev.kanmon.submission.auth.SaslExchange;
import dev.kanmon.submission.auth.SaslStep;
import dev.kanmon.submission.auth.client.AuthResult;
import dev.kanmon.submission.auth.client.AuthServiceClient;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;

/**
 * The exchange shared by OAUTHBEARER and XOAUTH2: one client message carrying a bearer token; on a rejected token
 * the server sends a JSON error as a challenge (RFC 7628 §3.2.2), the client acknowledges, and only then the
 * {@code 535} follows. A TEMPFAIL skips the error dance and answers {@code 454} at once.
 */
final class BearerExchange implements SaslExchange {

    /** The user name (may be null) and token from a client message. */
    record Credentials(String username, String token) {
    }

    /** A mechanism-specific parser of the client message. */
    interface Parser {
        Credentials parse(byte[] message) throws MalformedResponseException;
    }

    private final AuthServiceClient client;
    private final AuthContext context;
    private final String mechanism;
    private final Parser parser;
    private final String errorJson;
    private boolean challenged;
    private AuthResult rejected;

    BearerExchange(AuthServiceClient client, AuthContext context, String mechanism, Parser parser, String errorJson) {
        this.client = client;
        this.context = context;
        this.mechanism = mechanism;
        this.parser = parser;
        this.errorJson = errorJson;
    }

    @Override
    public Future<SaslStep> evaluate(byte[] response) {
        if (rejected != null) {
            // Whatever the client answers to the error challenge (RFC 7628: a single 0x01), the exchange fails.
            return Steps.fail(rejected.reply());
        }
        if (response == null) {
            if (challenged) {
                return Steps.malformed();
            }
            challenged = true;
            return Steps.challenge(new byte[0]);
        }
        Credentials credentials;
        try {
            credentials = parser.parse(response);
        } catch (MalformedResponseException e) {
            return Steps.malformed();
        }
        return context.dnsbl().compose(dnsbl -> client.token(credentials.token(), credentials.username(),
                context.clientIp(), mechanism, dnsbl)).map(result -> {
            if (result.outcome() == AuthResult.Outcome.FAILURE) {
                rejected = result;
                return new SaslStep.Challenge(errorJson.getBytes(StandardCharsets.UTF_8));
            }
            return Steps.toStep(result, mechanism, null);
        });
    }

    /** Splits {@code key=value} pairs separated by 0x01 and returns the value of {@code key}, or null. */
    static String value(String[] pairs, String key) {
        for (String pair : pairs) {
            if (pair.startsWith(key + "=")) {
                return pair.substring(key.length() + 1);
            }
        }
        return null;
    }

    /** {@code Bearer <token>} with the scheme matched case-insensitively (RFC 6750 §2.1). */
    static String bearerToken(String auth) throws MalformedResponseException {
        if (auth == null || auth.length() <= 7 || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new MalformedResponseException("auth=Bearer <token> required");
        }
        String token = auth.substring(7).trim();
        if (token.isEmpty()) {
            throw new MalformedResponseException("empty token");
        }
        return token;
    }
}
