package dev.kanmon.submission.smtp.command;

import dev.kanmon.core.queue.BodyType;
import dev.kanmon.core.smtp.EnhancedCode;
import dev.kanmon.core.smtp.EsmtpParameter;
import dev.kanmon.core.smtp.EsmtpParameterException;
import dev.kanmon.core.smtp.EsmtpParameters;
import dev.kanmon.core.smtp.MailParameters;
import dev.kanmon.core.smtp.Path;
import dev.kanmon.core.smtp.PathParser;
import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.core.smtp.SmtpSyntaxException;
import dev.kanmon.submission.auth.AuthenticatedUser;
import dev.kanmon.submission.quota.QuotaEscrow;
import dev.kanmon.submission.smtp.CommandHandler;
import dev.kanmon.submission.smtp.Outcome;
import dev.kanmon.submission.smtp.Phase;
import dev.kanmon.submission.smtp.Replies;
import dev.kanmon.submission.smtp.SessionContext;
import dev.kanmon.submission.smtp.Transaction;
import dev.kanmon.submission.smtp.policy.SenderRights;
import io.vertx.core.Future;
import java.util.List;

/**
 * MAIL FROM (RFC 5321 §4.1.1.2) with SIZE (RFC 1870), BODY=7BIT/8BITMIME (RFC 6152), SMTPUTF8 (RFC 6531), RET
 * and ENVID (RFC 3461) and AUTH= (RFC 4954 §5). On submission listeners the client must have authenticated
 * (or, on 587 with login-before-SMTP on, a login at the ISP must have opened a window for the client address, and
 * the session then runs as that user) and the sender must be one of its own addresses; the null sender stays
 * allowed for MDNs. An authenticated
 * user's message is charged to the session's quota escrow (R7) before the {@code 250}.
 */
public final class MailHandler implements CommandHandler {

    private static final SmtpReply SENDER_OK = SmtpReply.of(250, EnhancedCode.SENDER_OK, "Ok");
    private static final SmtpReply NESTED = SmtpReply.of(503, EnhancedCode.INVALID_COMMAND,
            "Error: nested MAIL command");
    private static final SmtpReply SYNTAX = Replies.syntax(EnhancedCode.INVALID_ARGUMENTS,
            "Syntax: MAIL FROM:<address>");
    private static final SmtpReply NEED_SMTPUTF8 = SmtpReply.of(553, EnhancedCode.NON_ASCII_NOT_PERMITTED,
            "Non-ASCII addresses need the SMTPUTF8 parameter");
    /**
     * Not advertised: delivery cannot relay BINARYMIME (it would need BDAT to every next hop), and Postfix does not
     * offer it either. 555 as for any parameter the server does not support (RFC 5321 §4.1.1.11).
     */
    private static final SmtpReply BINARYMIME_UNSUPPORTED = SmtpReply.of(555, EnhancedCode.INVALID_ARGUMENTS,
            "BODY=BINARYMIME not supported");

    @Override
    public List<String> verbs() {
        return List.of("MAIL");
    }

    @Override
    public Outcome handle(SessionContext session, String argument) {
        Outcome refused = refusedBeforeParsing(session, argument);
        if (refused != null) {
            return refused;
        }
        if (!argument.regionMatches(true, 0, "FROM:", 0, 5)) {
            return Outcome.reply(SYNTAX);
        }
        int start = 5;
        while (start < argument.length() && argument.charAt(start) == ' ') {
            start++; // "MAIL FROM: <a@b>" is common enough (and harmless) to accept.
        }
        PathParser.Parsed parsed;
        List<EsmtpParameter> params;
        try {
            parsed = PathParser.reversePath(argument, start, true);
        } catch (SmtpSyntaxException e) {
            return Outcome.reply(Replies.syntax(EnhancedCode.BAD_SENDER_SYNTAX,
                    "Bad sender address syntax: " + e.getMessage()));
        }
        try {
            params = EsmtpParameters.parse(argument, parsed.end(), true);
        } catch (SmtpSyntaxException e) {
            return Outcome.reply(Replies.syntax(EnhancedCode.INVALID_ARGUMENTS, e.getMessage()));
        }
        Path sender = parsed.path();
        MailParameters p;
        try {
            p = MailParameters.parse(params);
        } catch (EsmtpParameterException e) {
            return Outcome.reply(e.reply());
        }
        if (p.body() == BodyType.BINARY_MIME) {
            return Outcome.reply(BINARYMIME_UNSUPPORTED);
        }
        if (!p.smtpUtf8() && !ascii(argument)) {
            return Outcome.reply(NEED_SMTPUTF8);
        }
        if (p.size() > session.env().maxMessageSize()) {
            return Outcome.reply(Replies.MESSAGE_TOO_BIG);
        }
        AuthenticatedUser user = session.user();
        if (user != null && !sender.isNull() && !SenderRights.owns(user, sender.mailbox())) {
            return Outcome.reply(SmtpReply.of(553, EnhancedCode.DELIVERY_NOT_AUTHORIZED, "<" + sender.address()
                    + ">: Sender address rejected: not owned by user " + user.username()));
        }
        Transaction tx = new Transaction(sender, p.body(), p.smtpUtf8(), p.ret(), p.envid());
        QuotaEscrow quota = session.quota();
        if (user == null || quota == null) {
            session.beginTransaction(tx);
            return Outcome.reply(SENDER_OK);
        }
        // Counted at MAIL, like Postfix's anvil: an abandoned transaction still counts as a message.
        Future<Outcome> charged = quota.message().map(v -> {
            if (!v.allowed()) {
                return Outcome.reply(v.reply());
            }
            tx.recipientLimit(v.recipientsPerMessage());
            session.beginTransaction(tx);
            return Outcome.reply(SENDER_OK);
        });
        // usually spent from the session's block without a round trip
        return charged.isComplete() && charged.succeeded() ? charged.result() : new Outcome.Suspend(charged);
    }

    /**
     * What is refused whatever the command says: sequence, revocation, TLS, and on submission listeners who the client
     * is (asking the login window once, when on). Null when the command is to be read.
     */
    private Outcome refusedBeforeParsing(SessionContext session, String argument) {
        if (session.phase() == Phase.CONNECTED) {
            return Outcome.reply(Replies.BAD_SEQUENCE_HELO);
        }
        if (session.transaction() != null) {
            return Outcome.reply(NESTED);
        }
        SmtpReply revoked = session.revoked();
        if (revoked != null) {
            // the user was disabled, deleted or had its credentials reset in Keycloak since AUTH
            return new Outcome.Close(revoked);
        }
        if (session.startTlsRequired()) {
            return Outcome.reply(Replies.STARTTLS_REQUIRED);
        }
        if (session.listener().submission() && session.user() == null) {
            if (session.loginWindowOpen()) {
                // login-before-SMTP: then this MAIL again, now as the window's user, or the window's refusal
                Future<Outcome> asked = session.loginWindow()
                        .map(refusal -> refusal == null ? handle(session, argument) : Outcome.reply(refusal));
                return new Outcome.Suspend(asked.compose(o -> o instanceof Outcome.Suspend s
                        ? s.next() : Future.succeededFuture(o)));
            }
            return Outcome.reply(Replies.AUTH_REQUIRED);
        }
        return null;
    }

    static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
