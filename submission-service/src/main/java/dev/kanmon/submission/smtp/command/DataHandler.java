package dev.kanmon.submission.smtp.command;

import dev.kanmon.core.smtp.EnhancedCode;
import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.smtp.CommandHandler;
import dev.kanmon.submission.smtp.Outcome;
import dev.kanmon.submission.smtp.Phase;
import dev.kanmon.submission.smtp.Replies;
import dev.kanmon.submission.smtp.SessionContext;
import java.util.List;

/** DATA (RFC 5321 §4.1.1.4): after 354 the session decodes content until CRLF.CRLF. */
public final class DataHandler implements CommandHandler {

    private static final SmtpReply GO_AHEAD = SmtpReply.of(354, "End data with <CR><LF>.<CR><LF>");
    private static final SmtpReply NO_RECIPIENTS = SmtpReply.of(554, EnhancedCode.INVALID_COMMAND,
            "Error: no valid recipients");
    private static final SmtpReply CHUNKING = SmtpReply.of(503, EnhancedCode.INVALID_COMMAND,
            "Error: DATA after BDAT");

    @Override
    public List<String> verbs() {
        return List.of("DATA");
    }

    @Override
    public Outcome handle(SessionContext session, String argument) {
        if (!argument.isEmpty()) {
            return Outcome.reply(Replies.syntax(EnhancedCode.INVALID_ARGUMENTS, "Syntax: DATA"));
        }
        if (session.transaction() == null) {
            return Outcome.reply(Replies.BAD_SEQUENCE_MAIL);
        }
        if (session.transaction().chunking()) {
            return Outcome.reply(CHUNKING);
        }
        if (session.phase() != Phase.RCPT) {
            return Outcome.reply(NO_RECIPIENTS);
        }
        session.beginData();
        return Outcome.reply(GO_AHEAD);
    }
}
