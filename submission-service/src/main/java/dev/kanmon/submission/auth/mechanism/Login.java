package dev.kanmon.submission.auth.mechanism;

import dev.kanmon.submission.auth.AuthContext;
import dev.kanmon.submission.auth.SaslExchange;
import dev.kanmon.submission.auth.SaslStep;
import dev.kanmon.submission.auth.client.AuthServiceClient;
import dev.kanmon.submission.auth.client.SubmissionAuthConfig;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;

/**
 * SASL LOGIN (draft-murchison-sasl-login): prompts {@code Username:} then {@code Password:}. An initial response
 * ({@code AUTH LOGIN <b64 user>}, as Outlook sends it) is taken as the user name.
 */
@Singleton
public class Login extends ConfiguredMechanism {

    static final String NAME = "LOGIN";
    static final byte[] USERNAME_PROMPT = "Username:".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PASSWORD_PROMPT = "Password:".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_FIELD = 255;

    private final AuthServiceClient client;

    @Inject
    public Login(AuthServiceClient client, SubmissionAuthConfig config) {
        super(NAME, Strength.LOGIN, true, config.login());
        this.client = client;
    }

    @Override
    public SaslExchange start(AuthContext context) {
        return new Exchange(context);
    }

    /** One field (user name or password): non-empty UTF-8 without NUL, at most 255 octets. */
    static String field(byte[] response) throws MalformedResponseException {
        if (response == null || response.length == 0 || response.length > MAX_FIELD) {
            throw new MalformedResponseException("empty or too long");
        }
        for (byte b : response) {
            if (b == 0) {
                throw new MalformedResponseException("NUL in LOGIN field");
            }
        }
        return Steps.utf8(response);
    }

    private final class Exchange implements SaslExchange {

        private final AuthContext context;
        private boolean prompted;
        private String username;

        Exchange(AuthContext context) {
            this.context = context;
        }

        @Override
        public Future<SaslStep> evaluate(byte[] response) {
            try {
                if (username == null) {
                    if (response == null && !prompted) {
                        prompted = true;
                        return Steps.challenge(USERNAME_PROMPT);
                    }
                    username = field(response);
                    return Steps.challenge(PASSWORD_PROMPT);
                }
                String password = field(response);
                return context.dnsbl().compose(dnsbl -> client.password(username, password, null,
                                context.clientIp(), NAME, dnsbl))
                        .map(result -> Steps.toStep(result, NAME, null));
            } catch (MalformedResponseException e) {
                return Steps.malformed();
            }
        }
    }
}
