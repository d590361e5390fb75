package dev.kanmon.submission.smtp.command;

import dev.kanmon.core.smtp.EnhancedCode;
import dev.kanmon.submission.smtp.CommandHandler;
import dev.kanmon.submission.smtp.Outcome;
import dev.kanmon.submission.smtp.Replies;
import dev.kanmon.submission.smtp.SessionContext;
import java.util.List;

/** RSET (RFC 5321 §4.1.1.5): abort the transaction; greeting and authentication stay. */
public final class RsetHandler implements CommandHandler {

    @Override
    public List<String> verbs() {
        return List.of("RSET");
    }

    @Override
    public Outcome handle(SessionContext session, String argument) {
        if (!argument.isBlank()) {
            return Outcome.reply(Replies.syntax(EnhancedCode.INVALID_ARGUMENTS, "Syntax: RSET"));
        }
        session.resetTransaction();
        return Outcome.reply(Replies.OK);
    }
}
