package dev.kanmon.submission.auth.mechanism;

import dev.kanmon.submission.auth.AuthContext;
import dev.kanmon.submission.auth.SaslExchange;
import dev.kanmon.submission.auth.SaslMechanism;
import dev.kanmon.submission.auth.client.AuthServiceClient;
import dev.kanmon.submission.auth.client.SubmissionAuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * OAUTHBEARER (RFC 7628): {@code n,a=user,} then {@code 0x01}-separated {@code key=value} pairs, one of them
 * {@code auth=Bearer <token>}. The token is a Keycloak access token validated by the auth-service.
 */
@ApplicationScoped
public class OAuthBearer implements SaslMechanism {

    static final String NAME = "OAUTHBEARER";
    static final String ERROR = "{\"status\":\"invalid_token\",\"scope\":\"openid\"}";

    private final AuthServiceClient client;
    private final SubmissionAuthConfig.Toggle config;

    @Inject
    public OAuthBearer(AuthServiceClient client, SubmissionAuthConfig config) {
        this.client = client;
        this.config = config.oauthbearer();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int strength() {
        return Strength.OAUTHBEARER;
    }

    @Override
    public boolean plaintext() {
        // A bearer token is a reusable secret while it lives: it must not cross the wire in the clear.
        return true;
    }

    @Override
    public boolean enabled() {
        return config.enabled();
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
