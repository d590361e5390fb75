package dev.kanmon.submission.smtp.command;

import dev.kanmon.core.smtp.EnhancedCode;
import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.smtp.CommandHandler;
import dev.kanmon.submission.smtp.Outcome;
import dev.kanmon.submission.smtp.Phase;
import dev.kanmon.submission.smtp.Replies;
import dev.kanmon.submission.smtp.SessionContext;
import java.util.List;

/**
 * BDAT (RFC 3030 CHUNKING). The chunk is read even when the command is refused, because its octets are
 * already on the wire; the verdict is the reply after the chunk.
 */
public final class BdatHandler implements CommandHandler {

    private static final SmtpReply NO_RECIPIENTS = SmtpReply.of(554, EnhancedCode.INVALID_COMMAND,
            "Error: no valid recipients");
    private static final SmtpReply SYNTAX = Replies.syntax(EnhancedCode.INVALID_ARGUMENTS,
            "Syntax: BDAT chunk-size [LAST]");

    @Override
    public List<String> verbs() {
        return List.of("BDAT");
    }

    @Override
    public Outcome handle(SessionContext session, String argument) {
        String[] words = argument.split(" ", -1);
        if (words.length < 1 || words.length > 2 || words[0].isEmpty() || words[0].length() > 18
                || !words[0].chars().allMatch(c -> c >= '0' && c <= '9')
                || (words.length == 2 && !words[1].equalsIgnoreCase("LAST"))) {
            // Without a size the chunk cannot be skipped: the stream is out of step, which only an error says.
            return Outcome.reply(SYNTAX);
        }
        long size = Long.parseLong(words[0]);
        boolean last = words.length == 2;
        SmtpReply error = null;
        if (session.transaction() == null) {
            error = Replies.BAD_SEQUENCE_MAIL;
        } else if (session.phase() != Phase.RCPT) {
            error = NO_RECIPIENTS;
        }
        return session.beginChunk(size, last, error);
    }
}
