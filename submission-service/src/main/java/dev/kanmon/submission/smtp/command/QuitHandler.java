package dev.kanmon.submission.smtp.command;

import dev.kanmon.core.smtp.EnhancedCode;
import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.smtp.CommandHandler;
import dev.kanmon.submission.smtp.Outcome;
import dev.kanmon.submission.smtp.SessionContext;
import java.util.List;

/** QUIT (RFC 5321 §4.1.1.10). */
public final class QuitHandler implements CommandHandler {

    private static final SmtpReply BYE = SmtpReply.of(221, EnhancedCode.OTHER_OK, "Bye");

    @Override
    public List<String> verbs() {
        return List.of("QUIT");
    }

    @Override
    public Outcome handle(SessionContext session, String argument) {
        return new Outcome.Close(BYE);
    }
}
