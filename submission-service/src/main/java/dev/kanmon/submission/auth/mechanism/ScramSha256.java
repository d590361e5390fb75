package dev.kanmon.submission.auth.mechanism;

import dev.kanmon.submission.auth.AuthContext;
import dev.kanmon.submission.auth.SaslExchange;
import dev.kanmon.submission.auth.SaslStep;
import dev.kanmon.submission.auth.client.AuthResult;
import dev.kanmon.submission.auth.client.AuthServiceClient;
import dev.kanmon.submission.auth.client.SubmissionAuthConfig;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding. This side does the message syntax and nonces; the
 * auth-service holds the verifiers (StoredKey/ServerKey per SMTP app password) and checks the ClientProof.
 */
@Singleton
public class ScramSha256 extends ConfiguredMechanism {

    static final String NAME = "SCRAM-SHA-256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AuthServiceClient client;

    @Inject
    public ScramSha256(AuthServiceClient client, SubmissionAuthConfig config) {
        super(NAME, Strength.SCRAM_SHA_256, false, config.scramSha256());
        this.client = client;
    }

    @Override
    public SaslExchange start(AuthContext context) {
        return new Exchange(context);
    }

    /** client-first-message split into its GS2 header and bare part. */
    record ClientFirst(String gs2Header, String bare, String username, String nonce) {
    }

    static ClientFirst parseClientFirst(String message) throws MalformedResponseException {
        // gs2-header = gs2-cbind-flag "," [ authzid ] ","
        int c1 = message.indexOf(',');
        int c2 = c1 < 0 ? -1 : message.indexOf(',', c1 + 1);
        if (c2 < 0) {
            throw new MalformedResponseException("no GS2 header");
        }
        String flag = message.substring(0, c1);
        if (!flag.equals("n") && !flag.equals("y")) {
            // "p=..." asks for channel binding, which SCRAM-SHA-256 (without -PLUS) does not offer.
            throw new MalformedResponseException("channel binding not supported");
        }
        String authzid = message.substring(c1 + 1, c2);
        String bare = message.substring(c2 + 1);
        String[] attrs = bare.split(",", -1);
        if (attrs.length < 2 || !attrs[0].startsWith("n=") || !attrs[1].startsWith("r=") || attrs[1].length() < 3) {
            throw new MalformedResponseException("client-first-message-bare is n=user,r=nonce");
        }
        String username = saslName(attrs[0].substring(2));
        if (username.isEmpty()) {
            throw new MalformedResponseException("empty user name");
        }
        if (!authzid.isEmpty() && !(authzid.startsWith("a=") && saslName(authzid.substring(2)).equals(username))) {
            throw new MalformedResponseException("authzid must be empty or the user itself");
        }
        for (int i = 2; i < attrs.length; i++) {
            if (attrs[i].startsWith("m=")) {
                throw new MalformedResponseException("mandatory extension not supported");
            }
        }
        return new ClientFirst(message.substring(0, c2 + 1), bare, username, attrs[1].substring(2));
    }

    /** RFC 5802 saslname: "=2C" is ',' and "=3D" is '='; any other '=' escape is invalid. */
    static String saslName(String value) throws MalformedResponseException {
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '=') {
                String esc = value.length() >= i + 3 ? value.substring(i + 1, i + 3) : "";
                if (esc.equals("2C")) {
                    sb.append(',');
                } else if (esc.equals("3D")) {
                    sb.append('=');
                } else {
                    throw new MalformedResponseException("bad saslname escape");
                }
                i += 2;
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    private final class Exchange implements SaslExchange {

        private final AuthContext context;
        private boolean challenged;
        private ClientFirst first;
        private String serverFirst;
        private String nonce;

        Exchange(AuthContext context) {
            this.context = context;
        }

        @Override
        public Future<SaslStep> evaluate(byte[] response) {
            try {
                if (first == null) {
                    if (response == null) {
                        if (challenged) {
                            return Steps.malformed();
                        }
                        // Client-first mechanism: ask for it with an empty challenge.
                        challenged = true;
                        return Steps.challenge(new byte[0]);
                    }
                    return onClientFirst(Steps.utf8(response));
                }
                if (response == null) {
                    return Steps.malformed();
                }
                return onClientFinal(Steps.utf8(response));
            } catch (MalformedResponseException | IllegalArgumentException e) {
                return Steps.malformed();
            }
        }

        private Future<SaslStep> onClientFirst(String message) throws MalformedResponseException {
            first = parseClientFirst(message);
            byte[] serverPart = new byte[18];
            RANDOM.nextBytes(serverPart);
            nonce = first.nonce() + Base64.getEncoder().encodeToString(serverPart);
            return client.scramParameters(first.username(), context.clientIp()).map(params -> {
                if (!params.usable()) {
                    return new SaslStep.Failure(params.reply());
                }
                serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(params.salt())
                        + ",i=" + params.iterations();
                return new SaslStep.Challenge(serverFirst.getBytes(StandardCharsets.UTF_8));
            });
        }

        private Future<SaslStep> onClientFinal(String message) throws MalformedResponseException {
            if (serverFirst == null) {
                return Steps.malformed();
            }
            int p = message.lastIndexOf(",p=");
            if (p < 0) {
                throw new MalformedResponseException("no proof");
            }
            String withoutProof = message.substring(0, p);
            byte[] proof = Base64.getDecoder().decode(message.substring(p + 3));
            String[] attrs = withoutProof.split(",", -1);
            String expectedBinding = "c=" + Base64.getEncoder()
                    .encodeToString(first.gs2Header().getBytes(StandardCharsets.UTF_8));
            if (attrs.length < 2 || !attrs[0].equals(expectedBinding) || !attrs[1].equals("r=" + nonce) || proof.length != 32) {
                throw new MalformedResponseException("channel binding, nonce or proof do not match");
            }
            String authMessage = first.bare() + "," + serverFirst + "," + withoutProof;
            return context.dnsbl().compose(dnsbl -> client.scramProof(first.username(), authMessage, proof,
                    context.clientIp(), dnsbl)).map(result -> {
                if (!result.success()) {
                    return Steps.toStep(result, NAME, null);
                }
                if (result.serverSignature() == null) {
                    // Without server-final the client cannot verify us; treat as an auth-service fault.
                    return new SaslStep.Failure(AuthResult.TEMPORARY);
                }
                byte[] serverFinal = ("v=" + Base64.getEncoder().encodeToString(result.serverSignature()))
                        .getBytes(StandardCharsets.US_ASCII);
                return Steps.toStep(result, NAME, serverFinal);
            });
        }
    }
}
