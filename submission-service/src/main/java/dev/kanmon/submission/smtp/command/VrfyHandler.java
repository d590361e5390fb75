package dev.kanmon.submission.smtp.command;

import dev.kanmon.core.smtp.EnhancedCode;
import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.smtp.CommandHandler;
import dev.kanmon.submission.smtp.Outcome;
import dev.kanmon.submission.smtp.SessionContext;
import java.util.List;

/**
 * VRFY answers 252 for everyone (RFC 5321 §3.5.3): the relay never says which addresses exist, so VRFY
 * cannot be used to harvest a directory.
 */
public final class VrfyHandler implements CommandHandler {

    private static final SmtpReply CANNOT_VERIFY = SmtpReply.of(252, EnhancedCode.CANNOT_VERIFY,
            "Cannot VRFY user, but will accept message and attempt delivery");

    @Override
    public List<String> verbs() {
        return List.of("VRFY");
    }

    @Override
    public Outcome handle(SessionContext session, String argument) {
        return Outcome.reply(CANNOT_VERIFY);
    }
}
