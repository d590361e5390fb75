package dev.kanmon.submission.smtp.command;

import dev.kanmon.core.queue.EnvelopeRecipient;
import dev.kanmon.core.smtp.EnhancedCode;
import dev.kanmon.core.smtp.EsmtpParameter;
import dev.kanmon.core.smtp.EsmtpParameterException;
import dev.kanmon.core.smtp.EsmtpParameters;
import dev.kanmon.core.smtp.Path;
import dev.kanmon.core.smtp.PathParser;
import dev.kanmon.core.smtp.RcptParameters;
import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.core.smtp.SmtpSyntaxException;
import dev.kanmon.submission.quota.QuotaEscrow;
import dev.kanmon.submission.smtp.CommandHandler;
import dev.kanmon.submission.smtp.Outcome;
import dev.kanmon.submission.smtp.Replies;
import dev.kanmon.submission.smtp.SessionContext;
import dev.kanmon.submission.smtp.Transaction;
import io.vertx.core.Future;
import java.util.List;

/**
 * RCPT TO (RFC 5321 §4.1.1.3) with NOTIFY and ORCPT (RFC 3461). On port 25 an unauthenticated client may
 * only relay from a trusted network or to a relay domain with a plain mailbox. A source route is dropped
 * (RFC 5321 §3.3: servers may ignore it) for everyone allowed to relay. An authenticated user's recipients
 * count against the per-message limit (locally) and the daily one (the session's quota escrow, R7).
 */
public final class RcptHandler implements CommandHandler {

    private static final SmtpReply RECIPIENT_OK = SmtpReply.of(250, EnhancedCode.DESTINATION_VALID, "Ok");
    private static final SmtpReply SYNTAX = Replies.syntax(EnhancedCode.INVALID_ARGUMENTS,
            "Syntax: RCPT TO:<address>");
    private static final SmtpReply TOO_MANY = SmtpReply.of(452, EnhancedCode.TOO_MANY_RECIPIENTS,
            "Too many recipients");
    private static final SmtpReply NEED_SMTPUTF8 = SmtpReply.of(553, EnhancedCode.NON_ASCII_NOT_PERMITTED,
            "Non-ASCII addresses need the SMTPUTF8 parameter");

    @Override
    public List<String> verbs() {
        return List.of("RCPT");
    }

    @Override
    public Outcome handle(SessionContext session, String argument) {
        Transaction tx = session.transaction();
        if (tx == null || tx.chunking()) {
            return Outcome.reply(Replies.BAD_SEQUENCE_MAIL);
        }
        if (!argument.regionMatches(true, 0, "TO:", 0, 3)) {
            return Outcome.reply(SYNTAX);
        }
        int start = 3;
        while (start < argument.length() && argument.charAt(start) == ' ') {
            start++;
        }
        PathParser.Parsed parsed;
        List<EsmtpParameter> params;
        try {
            parsed = PathParser.forwardPath(argument, start, true);
        } catch (SmtpSyntaxException e) {
            return Outcome.reply(Replies.syntax(EnhancedCode.BAD_DESTINATION_SYNTAX,
                    "Bad recipient address syntax: " + e.getMessage()));
        }
        try {
            params = EsmtpParameters.parse(argument, parsed.end(), true);
        } catch (SmtpSyntaxException e) {
            return Outcome.reply(Replies.syntax(EnhancedCode.INVALID_ARGUMENTS, e.getMessage()));
        }
        RcptParameters p;
        try {
            p = RcptParameters.parse(params);
        } catch (EsmtpParameterException e) {
            return Outcome.reply(e.reply());
        }
        if (!tx.smtpUtf8() && !MailHandler.ascii(argument)) {
            return Outcome.reply(NEED_SMTPUTF8);
        }
        Path recipient = parsed.path();
        if (session.user() == null && !session.env().relayPolicy().mayRelay(session.clientIp(), recipient)) {
            return Outcome.reply(SmtpReply.of(554, EnhancedCode.DELIVERY_NOT_AUTHORIZED,
                    "<" + recipient.address() + ">: Relay access denied"));
        }
        if (tx.recipients().size() >= session.env().maxRecipients()) {
            return Outcome.reply(TOO_MANY);
        }
        EnvelopeRecipient accepted = new EnvelopeRecipient(recipient.address(), p.notifications(), p.orcpt());
        QuotaEscrow quota = session.quota();
        if (session.user() == null || quota == null) {
            return accept(session, tx, accepted);
        }
        if (tx.recipientLimit() > 0 && tx.recipients().size() >= tx.recipientLimit()) {
            return Outcome.reply(SmtpReply.of(452, EnhancedCode.TOO_MANY_RECIPIENTS, "Too many recipients for "
                    + session.user().username() + ": " + tx.recipientLimit() + " per message"));
        }
        Future<Outcome> charged = quota.recipient()
                .map(v -> v.allowed() ? accept(session, tx, accepted) : Outcome.reply(v.reply()));
        // usually spent from the session's block without a round trip
        return charged.isComplete() && charged.succeeded() ? charged.result() : new Outcome.Suspend(charged);
    }

    private static Outcome accept(SessionContext session, Transaction tx, EnvelopeRecipient recipient) {
        tx.addRecipient(recipient);
        session.recipientAccepted();
        return Outcome.reply(RECIPIENT_OK);
    }
}
