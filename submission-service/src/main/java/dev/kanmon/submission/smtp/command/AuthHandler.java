package dev.kanmon.submission.smtp.command;

import dev.kanmon.core.smtp.EnhancedCode;
import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.auth.AuthContext;
import dev.kanmon.submission.auth.SaslExchange;
import dev.kanmon.submission.auth.SaslMechanism;
import dev.kanmon.submission.smtp.AuthConversation;
import dev.kanmon.submission.smtp.CommandHandler;
import dev.kanmon.submission.smtp.Outcome;
import dev.kanmon.submission.smtp.Phase;
import dev.kanmon.submission.smtp.Replies;
import dev.kanmon.submission.smtp.SessionContext;
import dev.kanmon.submission.smtp.policy.AuthenticatedScreen;
import io.vertx.core.Future;
import java.util.List;

/**
 * AUTH (RFC 4954): picks the {@link SaslMechanism} bean and hands the exchange to an
 * {@link AuthConversation}. Mechanisms that require TLS are refused before it even when a client asks for one
 * that was not advertised; on 587 with {@code tls.required-on-submission} every mechanism is.
 */
public final class AuthHandler implements CommandHandler {

    private static final SmtpReply NOT_ENABLED = SmtpReply.of(503, EnhancedCode.INVALID_COMMAND,
            "Error: authentication not enabled");
    private static final SmtpReply ALREADY = SmtpReply.of(503, EnhancedCode.INVALID_COMMAND,
            "Error: already authenticated");
    private static final SmtpReply IN_TRANSACTION = SmtpReply.of(503, EnhancedCode.INVALID_COMMAND,
            "Error: MAIL transaction in progress");
    private static final SmtpReply UNKNOWN_MECHANISM = SmtpReply.of(504, EnhancedCode.INVALID_ARGUMENTS,
            "Unrecognized authentication type");
    private static final SmtpReply ENCRYPTION_REQUIRED = SmtpReply.of(538, EnhancedCode.ENCRYPTION_REQUIRED,
            "Encryption required for requested authentication mechanism");

    @Override
    public List<String> verbs() {
        return List.of("AUTH");
    }

    @Override
    public Outcome handle(SessionContext session, String argument) {
        if (!session.listener().submission()) {
            return Outcome.reply(NOT_ENABLED);
        }
        if (session.phase() == Phase.CONNECTED) {
            return Outcome.reply(Replies.BAD_SEQUENCE_HELO);
        }
        if (session.startTlsRequired()) {
            // Not even challenge-response: the message that follows would still travel in cleartext.
            return Outcome.reply(Replies.STARTTLS_REQUIRED);
        }
        if (session.user() != null) {
            return Outcome.reply(ALREADY);
        }
        if (session.transaction() != null) {
            return Outcome.reply(IN_TRANSACTION);
        }
        String[] words = argument.split(" ", -1);
        if (words.length > 2 || words[0].isEmpty()) {
            return Outcome.reply(Replies.syntax(EnhancedCode.INVALID_ARGUMENTS,
                    "Syntax: AUTH mechanism [initial-response]"));
        }
        SaslMechanism mechanism = session.env().mechanism(words[0]);
        if (mechanism == null) {
            return Outcome.reply(UNKNOWN_MECHANISM);
        }
        if (mechanism.requiresTls() && !session.tls()) {
            return Outcome.reply(ENCRYPTION_REQUIRED);
        }
        byte[] initial = null;
        if (words.length == 2) {
            initial = AuthConversation.decode(words[1]);
            if (initial == null) {
                return Outcome.reply(Replies.syntax(EnhancedCode.SYNTAX_ERROR, "Invalid base64 data"));
            }
        }
        // asked now, side by side with the exchange; the same (cached) verdict decides the AUTH in Admission
        Future<List<String>> dnsbl = session.env().authenticatedScreen().check(session.clientIp())
                .map(AuthenticatedScreen::listings);
        SaslExchange exchange = mechanism.start(new AuthContext(session.clientIp(), session.env().hostname(),
                session.tls(), dnsbl));
        return session.authenticate(exchange, initial);
    }

    @Override
    public boolean longLines() {
        return true;
    }
}
