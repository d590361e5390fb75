package dev.kanmon.submission.smtp.command;

import dev.kanmon.core.smtp.EnhancedCode;
import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.smtp.CommandHandler;
import dev.kanmon.submission.smtp.Outcome;
import dev.kanmon.submission.smtp.Replies;
import dev.kanmon.submission.smtp.SessionContext;
import java.util.List;

/** HELO, the RFC 821 greeting for clients that do not speak ESMTP: a one-line reply, no extensions listed. */
public final class HeloHandler implements CommandHandler {

    @Override
    public List<String> verbs() {
        return List.of("HELO");
    }

    @Override
    public Outcome handle(SessionContext session, String argument) {
        String name = argument.strip();
        if (!EhloHandler.validName(name)) {
            return Outcome.reply(Replies.syntax(EnhancedCode.INVALID_ARGUMENTS, "Syntax: HELO hostname"));
        }
        session.greeted(name, false);
        return Outcome.reply(SmtpReply.of(250, session.env().hostname()));
    }
}
