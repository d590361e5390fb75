package dev.kanmon.submission.auth.mechanism;

import dev.kanmon.submission.auth.AuthContext;
import dev.kanmon.submission.auth.SaslExchange;
import dev.kanmon.submission.auth.SaslStep;
import dev.kanmon.submission.auth.client.AuthServiceClient;
import dev.kanmon.submission.auth.client.SubmissionAuthConfig;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** SASL PLAIN (RFC 4616): {@code [authzid] NUL authcid NUL passwd}, checked by the auth-service. */
@Singleton
public class Plain extends ConfiguredMechanism {

    static final String NAME = "PLAIN";
    /** RFC 4616 §2: each field is at most 255 octets. */
    private static final int MAX_FIELD = 255;

    private final AuthServiceClient client;
    private final SubmissionAuthConfig.Plain config;

    @Inject
    public Plain(AuthServiceClient client, SubmissionAuthConfig config) {
        super(NAME, Strength.PLAIN, true, config.plain());
        this.client = client;
        this.config = config.plain();
    }

    @Override
    public SaslExchange start(AuthContext context) {
        return new Exchange(context);
    }

    /** The decoded message. */
    record Credentials(String authzid, String authcid, String password) {
    }

    static Credentials decode(byte[] message) throws MalformedResponseException {
        int first = indexOf(message, 0);
        int second = first < 0 ? -1 : indexOf(message, first + 1);
        if (first < 0 || second < 0 || indexOf(message, second + 1) >= 0) {
            throw new MalformedResponseException("PLAIN needs exactly two NUL separators");
        }
        if (first > MAX_FIELD || second - first - 1 > MAX_FIELD || message.length - second - 1 > MAX_FIELD) {
            throw new MalformedResponseException("PLAIN field longer than 255 octets");
        }
        String authzid = Steps.utf8(message, 0, first);
        String authcid = Steps.utf8(message, first + 1, second);
        String password = Steps.utf8(message, second + 1, message.length);
        if (authcid.isEmpty() || password.isEmpty()) {
            throw new MalformedResponseException("empty authcid or password");
        }
        return new Credentials(authzid, authcid, password);
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private final class Exchange implements SaslExchange {

        private final AuthContext context;
        private boolean challenged;

        Exchange(AuthContext context) {
            this.context = context;
        }

        @Override
        public Future<SaslStep> evaluate(byte[] response) {
            if (response == null) {
                if (challenged) {
                    return Steps.malformed();
                }
                // RFC 4954: no initial response → empty challenge, the client sends the message next.
                challenged = true;
                return Steps.challenge(new byte[0]);
            }
            Credentials credentials;
            try {
                credentials = decode(response);
            } catch (MalformedResponseException e) {
                return Steps.malformed();
            }
            String authzid = credentials.authzid();
            boolean foreign = !authzid.isEmpty() && !authzid.equals(credentials.authcid());
            if (foreign && !config.ignoreForeignAuthzid()) {
                return Steps.fail(Steps.INVALID);
            }
            String authzidSent = foreign ? null : emptyToNull(authzid);
            return context.dnsbl().compose(dnsbl -> client.password(credentials.authcid(), credentials.password(),
                            authzidSent, context.clientIp(), NAME, dnsbl))
                    .map(result -> Steps.toStep(result, NAME, null));
        }
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
