package dev.kanmon.submission.auth.mechanism;

import dev.kanmon.submission.auth.AuthContext;
import dev.kanmon.submission.auth.SaslExchange;
import dev.kanmon.submission.auth.client.AuthServiceClient;
import dev.kanmon.submission.auth.client.SubmissionAuthConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * XOAUTH2 (Google's and Microsoft's pre-standard form): {@code user=<name> 0x01 auth=Bearer <token> 0x01 0x01}.
 * Same token validation as OAUTHBEARER; kept because many mail clients only speak this one.
 */
@Singleton
public class XOAuth2 extends ConfiguredMechanism {

    static final String NAME = "XOAUTH2";
    static final String ERROR = "{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"openid\"}";

    private final AuthServiceClient client;

    @Inject
    public XOAuth2(AuthServiceClient client, SubmissionAuthConfig config) {
        super(NAME, Strength.XOAUTH2, true, config.xoauth2());
        this.client = client;
    }

    @Override
    public SaslExchange start(AuthContext context) {
        return new BearerExchange(client, context, NAME, XOAuth2::parse, ERROR);
    }

    static BearerExchange.Credentials parse(byte[] message) throws MalformedResponseException {
        String text = Steps.utf8(message);
        if (!text.endsWith("\u0001\u0001")) {
            throw new MalformedResponseException("XOAUTH2 message ends with 0x01 0x01");
        }
        String[] pairs = text.substring(0, text.length() - 2).split("\u0001", -1);
        String user = BearerExchange.value(pairs, "user");
        if (user == null || user.isEmpty()) {
            throw new MalformedResponseException("user= required");
        }
        return new BearerExchange.Credentials(user, BearerExchange.bearerToken(BearerExchange.value(pairs, "auth")));
    }
}
