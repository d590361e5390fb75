package dev.kanmon.submission.auth.mechanism;

import dev.kanmon.submission.auth.AuthContext;
import dev.kanmon.submission.auth.SaslExchange;
import dev.kanmon.submission.auth.client.AuthServiceClient;
import dev.kanmon.submission.auth.client.SubmissionAuthConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * OAUTHBEARER (RFC 7628): {@code n,a=user,} then {@code 0x01}-separated {@code key=value} pairs, one of them
 * {@code auth=Bearer <token>}. The token is a Keycloak access token validated by the auth-service.
 */
@Singleton
public class OAuthBearer extends ConfiguredMechanism {

    static final String NAME = "OAUTHBEARER";
    static final String ERROR = "{\"status\":\"invalid_token\",\"scope\":\"openid\"}";

    private final AuthServiceClient client;

    @Inject
    public OAuthBearer(AuthServiceClient client, SubmissionAuthConfig config) {
        // A bearer token is a reusable secret while it lives: it must not cross the wire in the clear.
        super(NAME, Strength.OAUTHBEARER, true, config.oauthbearer());
        this.client = client;
    }

    @Override
    public SaslExchange start(AuthContext context) {
        return new BearerExchange(client, context, NAME, OAuthBearer::parse, ERROR);
    }

    static BearerExchange.Credentials parse(byte[] message) throws MalformedResponseException {
        String text = Steps.utf8(message);
        // gs2-header "n,a=user," or "n,," (channel binding is not supported: "p=" is refused, "y" accepted).
        int c1 = text.indexOf(',');
        int c2 = c1 < 0 ? -1 : text.indexOf(',', c1 + 1);
        if (c2 < 0 || !(text.startsWith("n,") || text.startsWith("y,"))) {
            throw new MalformedResponseException("bad GS2 header");
        }
        String authzid = text.substring(c1 + 1, c2);
        String username = null;
        if (!authzid.isEmpty()) {
            if (!authzid.startsWith("a=")) {
                throw new MalformedResponseException("bad authzid");
            }
            username = ScramSha256.saslName(authzid.substring(2));
        }
        String rest = text.substring(c2 + 1);
        // At least kvsep kvpair kvsep kvsep; "\u0001\u0001" alone (no pairs, so no auth=) is malformed too.
        if (rest.length() < 3 || !rest.startsWith("\u0001") || !rest.endsWith("\u0001\u0001")) {
            throw new MalformedResponseException("key/value list must be framed by 0x01");
        }
        String[] pairs = rest.substring(1, rest.length() - 2).split("\u0001", -1);
        return new BearerExchange.Credentials(username, BearerExchange.bearerToken(BearerExchange.value(pairs, "auth")));
    }
}
