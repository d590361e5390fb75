package dev.kanmon.submission.smtp.command;

import dev.kanmon.core.smtp.EnhancedCode;
import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.smtp.CommandHandler;
import dev.kanmon.submission.smtp.Outcome;
import dev.kanmon.submission.smtp.SessionContext;
import java.util.List;

/** HELP (RFC 5321 §4.1.1.8). */
public final class HelpHandler implements CommandHandler {

    private static final SmtpReply HELP = SmtpReply.of(214, EnhancedCode.OTHER_OK,
            "Commands: EHLO HELO STARTTLS AUTH MAIL RCPT DATA BDAT RSET NOOP VRFY HELP QUIT");

    @Override
    public List<String> verbs() {
        return List.of("HELP");
    }

    @Override
    public Outcome handle(SessionContext session, String argument) {
        return Outcome.reply(HELP);
    }
}
