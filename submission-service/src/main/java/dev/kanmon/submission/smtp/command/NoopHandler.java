package dev.kanmon.submission.smtp.command;

import dev.kanmon.submission.smtp.CommandHandler;
import dev.kanmon.submission.smtp.Outcome;
import dev.kanmon.submission.smtp.Replies;
import dev.kanmon.submission.smtp.SessionContext;
import java.util.List;

/** NOOP (RFC 5321 §4.1.1.9): its argument is ignored, as the RFC says. */
public final class NoopHandler implements CommandHandler {

    @Override
    public List<String> verbs() {
        return List.of("NOOP");
    }

    @Override
    public Outcome handle(SessionContext session, String argument) {
        return Outcome.reply(Replies.OK);
    }
}
