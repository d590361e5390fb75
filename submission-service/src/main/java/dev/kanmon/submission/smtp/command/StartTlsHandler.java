package dev.kanmon.submission.smtp.command;

import dev.kanmon.core.smtp.EnhancedCode;
import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.smtp.CommandHandler;
import dev.kanmon.submission.smtp.ListenerKind;
import dev.kanmon.submission.smtp.Outcome;
import dev.kanmon.submission.smtp.Replies;
import dev.kanmon.submission.smtp.SessionContext;
import java.util.List;

/** STARTTLS (RFC 3207). The session discards pipelined plaintext and resets itself after the handshake. */
public final class StartTlsHandler implements CommandHandler {

    private static final SmtpReply READY = SmtpReply.of(220, EnhancedCode.OTHER_OK, "Ready to start TLS");
    private static final SmtpReply ALREADY = SmtpReply.of(503, EnhancedCode.INVALID_COMMAND, "Error: TLS already active");
    private static final SmtpReply UNAVAILABLE = SmtpReply.of(454, EnhancedCode.SECURITY_TEMP,
            "TLS not available due to temporary reason");

    @Override
    public List<String> verbs() {
        return List.of("STARTTLS");
    }

    @Override
    public Outcome handle(SessionContext session, String argument) {
        if (!argument.isEmpty()) {
            return Outcome.reply(Replies.syntax(EnhancedCode.INVALID_ARGUMENTS, "Syntax: STARTTLS"));
        }
        if (session.tls()) {
            return Outcome.reply(ALREADY);
        }
        if (!session.env().tlsAvailable() || session.listener() == ListenerKind.SUBMISSIONS) {
            return Outcome.reply(UNAVAILABLE);
        }
        return new Outcome.StartTls(READY);
    }
}
