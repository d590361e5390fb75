package dev.kanmon.submission.smtp.command;

import dev.kanmon.core.queue.EnvelopeRecipient;
import dev.kanmon.core.queue.Notify;
import dev.kanmon.core.smtp.EnhancedCode;
import dev.kanmon.core.smtp.EsmtpParameter;
import dev.kanmon.core.smtp.EsmtpParameters;
import dev.kanmon.core.smtp.Path;
import dev.kanmon.core.smtp.PathParser;
import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.core.smtp.SmtpSyntaxException;
import dev.kanmon.core.smtp.Xtext;
import dev.kanmon.submission.quota.QuotaEscrow;
import dev.kanmon.submission.smtp.CommandHandler;
import dev.kanmon.submission.smtp.Outcome;
import dev.kanmon.submission.smtp.Replies;
import dev.kanmon.submission.smtp.SmtpSession;
import dev.kanmon.submission.smtp.Transaction;
import io.vertx.core.Future;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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
    public Outcome handle(SmtpSession session, String argument) {
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
        Set<Notify> notify = Set.of();
        String orcpt = null;
        for (EsmtpParameter p : params) {
            switch (p.keyword()) {
                case "NOTIFY" -> {
                    notify = notify(p.value());
                    if (notify == null) {
                        return Outcome.reply(Replies.syntax(EnhancedCode.INVALID_ARGUMENTS, "Bad NOTIFY value"));
                    }
                }
                case "ORCPT" -> {
                    if (!validOrcpt(p.value())) {
                        return Outcome.reply(Replies.syntax(EnhancedCode.INVALID_ARGUMENTS, "Bad ORCPT value"));
                    }
                    orcpt = p.value();
                }
                default -> {
                    return Outcome.reply(SmtpReply.of(555, EnhancedCode.INVALID_ARGUMENTS,
                            "Unsupported option: " + p.keyword()));
                }
            }
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
        EnvelopeRecipient accepted = new EnvelopeRecipient(recipient.address(), notify, orcpt);
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

    private static Outcome accept(SmtpSession session, Transaction tx, EnvelopeRecipient recipient) {
        tx.addRecipient(recipient);
        session.recipientAccepted();
        return Outcome.reply(RECIPIENT_OK);
    }

    /** NEVER alone, or a comma list of SUCCESS, FAILURE, DELAY (RFC 3461 §4.1); null when invalid. */
    private static Set<Notify> notify(String value) {
        if (value == null) {
            return null;
        }
        EnumSet<Notify> set = EnumSet.noneOf(Notify.class);
        for (String word : value.split(",", -1)) {
            try {
                if (!set.add(Notify.valueOf(word.toUpperCase(Locale.ROOT)))) {
                    return null;
                }
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if (set.contains(Notify.NEVER) && set.size() > 1) {
            return null;
        }
        return set;
    }

    /** {@code addr-type ";" xtext} (RFC 3461 §4.2). */
    private static boolean validOrcpt(String value) {
        if (value == null) {
            return false;
        }
        int semi = value.indexOf(';');
        if (semi <= 0 || semi == value.length() - 1) {
            return false;
        }
        try {
            Xtext.decode(value.substring(semi + 1));
            return true;
        } catch (SmtpSyntaxException e) {
            return false;
        }
    }
}
