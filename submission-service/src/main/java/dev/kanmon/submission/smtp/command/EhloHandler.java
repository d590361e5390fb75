package dev.kanmon.submission.smtp.command;

import dev.kanmon.core.smtp.EnhancedCode;
import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.auth.SaslMechanism;
import dev.kanmon.submission.smtp.CommandHandler;
import dev.kanmon.submission.smtp.ListenerKind;
import dev.kanmon.submission.smtp.Outcome;
import dev.kanmon.submission.smtp.Replies;
import dev.kanmon.submission.smtp.SessionContext;
import java.util.ArrayList;
import java.util.List;

/**
 * EHLO (RFC 5321 §4.1.1.1). Resets any transaction; authentication survives. The EHLO keyword list is honest: STARTTLS only when TLS is possible
 * and not active, AUTH only on submission listeners, not at all before TLS where TLS is required, and without
 * plaintext mechanisms before TLS otherwise.
 */
public final class EhloHandler implements CommandHandler {

    @Override
    public List<String> verbs() {
        return List.of("EHLO");
    }

    @Override
    public Outcome handle(SessionContext session, String argument) {
        String name = argument.strip();
        if (!validName(name)) {
            return Outcome.reply(Replies.syntax(EnhancedCode.INVALID_ARGUMENTS, "Syntax: EHLO hostname"));
        }
        session.greeted(name, true);
        String host = session.env().hostname();
        List<String> lines = new ArrayList<>(12);
        lines.add(host);
        lines.add("PIPELINING");
        lines.add("SIZE " + session.env().maxMessageSize());
        lines.add("8BITMIME");
        lines.add("ENHANCEDSTATUSCODES");
        if (!session.tls() && session.env().tlsAvailable() && session.listener() != ListenerKind.SUBMISSIONS) {
            lines.add("STARTTLS");
        }
        if (session.listener().submission() && session.user() == null
                && !session.startTlsRequired()) {
            List<SaslMechanism> offered = session.env().offeredMechanisms(session.tls());
            if (!offered.isEmpty()) {
                StringBuilder auth = new StringBuilder("AUTH");
                StringBuilder legacy = new StringBuilder("AUTH=");
                for (SaslMechanism m : offered) {
                    auth.append(' ').append(m.name());
                }
                // Old Outlook only understands the pre-RFC "AUTH=" form; it knows LOGIN and PLAIN only.
                for (String old : List.of("LOGIN", "PLAIN")) {
                    if (offered.stream().anyMatch(m -> m.name().equalsIgnoreCase(old))) {
                        legacy.append(legacy.length() > 5 ? " " : "").append(old);
                    }
                }
                lines.add(auth.toString());
                if (legacy.length() > 5) {
                    lines.add(legacy.toString());
                }
            }
        }
        lines.add("DSN");
        lines.add("SMTPUTF8");
        lines.add("CHUNKING");
        return Outcome.reply(new SmtpReply(250, null, lines));
    }

    /**
     * RFC 5321 wants a domain or address literal; real clients send all sorts (curl sends a file name), so
     * any single printable token is taken and only recorded.
     */
    static boolean validName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 33 || c == 127) {
                return false;
            }
        }
        return true;
    }
}
