package dev.kanmon.submission.smtp;

import dev.kanmon.core.smtp.EnhancedCode;
import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.auth.AuthenticatedUser;
import dev.kanmon.submission.auth.SaslExchange;
import dev.kanmon.submission.auth.SaslStep;
import io.vertx.core.Future;
import java.util.Base64;

/**
 * The SMTP side of one SASL exchange (RFC 4954 §4): base64 framing, {@code 334} challenges, {@code *}
 * cancellation, and RFC 4954's way of carrying success data (SCRAM's server-final) — a {@code 334} the
 * client answers with an empty line before {@code 235}.
 */
public final class AuthConversation {

    static final SmtpReply CANCELLED = SmtpReply.of(501, EnhancedCode.OTHER_PERMANENT, "Authentication cancelled");
    static final SmtpReply BAD_BASE64 = SmtpReply.of(501, EnhancedCode.SYNTAX_ERROR, "Invalid base64 data");
    static final SmtpReply SUCCESS = SmtpReply.of(235, EnhancedCode.AUTH_SUCCEEDED, "Authentication successful");

    /** The session side of the exchange: which lines are SASL responses, and what a success leads to. */
    interface Owner {

        /** The next client line is a SASL response. */
        void awaitResponse();

        /** The exchange ended without authenticating: back to commands. */
        void abandon();

        /** The mechanism authenticated the user: the session admits it (DNSBL, quota) and answers. */
        Outcome succeeded(AuthenticatedUser user);
    }

    private final Owner session;
    private final SaslExchange exchange;
    private AuthenticatedUser successPending;

    AuthConversation(Owner session, SaslExchange exchange) {
        this.session = session;
        this.exchange = exchange;
    }

    /** Decodes a base64 SASL line; {@code =} is the empty response. Null when it is not valid base64. */
    public static byte[] decode(String line) {
        if (line.equals("=")) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(line);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    Outcome start(byte[] initialResponse) {
        return evaluate(initialResponse);
    }

    /** A client line while the exchange runs. */
    Outcome respond(String line) {
        if (line.equals("*")) {
            session.abandon();
            return Outcome.reply(CANCELLED);
        }
        byte[] response = line.isEmpty() ? new byte[0] : decode(line);
        if (response == null) {
            session.abandon();
            return Outcome.reply(BAD_BASE64);
        }
        if (successPending != null) {
            if (response.length != 0) {
                session.abandon();
                return Outcome.reply(BAD_BASE64);
            }
            return succeed(successPending);
        }
        return evaluate(response);
    }

    private Outcome evaluate(byte[] response) {
        Future<SaslStep> step;
        try {
            step = exchange.evaluate(response);
        } catch (RuntimeException e) {
            step = Future.failedFuture(e);
        }
        return new Outcome.Suspend(step.map(this::onStep).otherwise(e -> {
            session.abandon();
            return Outcome.reply(Replies.AUTH_TEMPFAIL);
        }));
    }

    private Outcome onStep(SaslStep step) {
        if (step instanceof SaslStep.Challenge c) {
            session.awaitResponse();
            return Outcome.reply(challenge(c.data()));
        }
        if (step instanceof SaslStep.Success s) {
            if (s.additionalData() != null && s.additionalData().length > 0) {
                successPending = s.user();
                session.awaitResponse();
                return Outcome.reply(challenge(s.additionalData()));
            }
            return succeed(s.user());
        }
        session.abandon();
        return Outcome.reply(((SaslStep.Failure) step).reply());
    }

    private Outcome succeed(AuthenticatedUser user) {
        return session.succeeded(user);
    }

    private static SmtpReply challenge(byte[] data) {
        return SmtpReply.of(334, data == null ? "" : Base64.getEncoder().encodeToString(data));
    }
}
