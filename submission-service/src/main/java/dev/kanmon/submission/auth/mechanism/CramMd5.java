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
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * CRAM-MD5 (RFC 2195). The server sends a msg-id style challenge, the client answers {@code user SP hex(HMAC-MD5)};
 * the auth-service recomputes the digest from the user's SMTP app passwords (Keycloak passwords are hashed and
 * cannot serve a challenge-response mechanism).
 */
@Singleton
public class CramMd5 extends ConfiguredMechanism {

    static final String NAME = "CRAM-MD5";
    private static final Pattern DIGEST = Pattern.compile("[0-9a-fA-F]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AuthServiceClient client;
    private final Clock clock = Clock.systemUTC();

    @Inject
    public CramMd5(AuthServiceClient client, SubmissionAuthConfig config) {
        super(NAME, Strength.CRAM_MD5, false, config.cramMd5());
        this.client = client;
    }

    @Override
    public SaslExchange start(AuthContext context) {
        return new Exchange(context, challenge(context.serverName()));
    }

    /** RFC 2195 §2: a unique msg-id, {@code <random.timestamp@hostname>}; the random part keeps it unguessable. */
    String challenge(String serverName) {
        return "<" + Long.toUnsignedString(RANDOM.nextLong()) + "." + clock.millis() / 1000 + "@" + serverName + ">";
    }

    /** The client's answer: user name (may contain spaces) and a lower-cased 32-hex-digit digest. */
    record Answer(String username, String digest) {
    }

    static Answer parse(byte[] response) throws MalformedResponseException {
        String text = Steps.utf8(response);
        int space = text.lastIndexOf(' ');
        if (space <= 0) {
            throw new MalformedResponseException("CRAM-MD5 answer is 'user SP digest'");
        }
        String digest = text.substring(space + 1);
        if (!DIGEST.matcher(digest).matches() || text.indexOf('\0') >= 0) {
            throw new MalformedResponseException("digest must be 32 hex digits");
        }
        return new Answer(text.substring(0, space), digest.toLowerCase(Locale.ROOT));
    }

    private final class Exchange implements SaslExchange {

        private final AuthContext context;
        private final String challenge;
        private boolean challenged;

        Exchange(AuthContext context, String challenge) {
            this.context = context;
            this.challenge = challenge;
        }

        @Override
        public Future<SaslStep> evaluate(byte[] response) {
            if (!challenged) {
                // CRAM-MD5 has no initial response: the server speaks first.
                if (response != null) {
                    return Steps.malformed();
                }
                challenged = true;
                return Steps.challenge(challenge.getBytes(StandardCharsets.US_ASCII));
            }
            if (response == null) {
                return Steps.malformed();
            }
            Answer answer;
            try {
                answer = parse(response);
            } catch (MalformedResponseException e) {
                return Steps.malformed();
            }
            return context.dnsbl().compose(dnsbl -> client.cramMd5(answer.username(), challenge, answer.digest(),
                            context.clientIp(), dnsbl))
                    .map(result -> Steps.toStep(result, NAME, null));
        }
    }
}
