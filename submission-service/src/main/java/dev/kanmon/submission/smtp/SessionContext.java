package dev.kanmon.submission.smtp;

import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.auth.AuthenticatedUser;
import dev.kanmon.submission.auth.SaslExchange;
import dev.kanmon.submission.quota.QuotaEscrow;
import io.vertx.core.Future;

/**
 * What a {@link CommandHandler} sees of its session: where the session is in the command sequence, who the client
 * is, the transaction under way, the shared settings, and the few transitions a handler may make. Framing, output,
 * timers, TLS and the queue hand-off stay with the session.
 */
public interface SessionContext {

    /** The settings and collaborators every session shares. */
    SmtpEnvironment env();

    ListenerKind listener();

    Phase phase();

    /** Whether the connection is under TLS (465, or after STARTTLS). */
    boolean tls();

    /** The client's address (after the PROXY protocol). */
    String clientIp();

    /** Whether the session must run STARTTLS before AUTH and MAIL. */
    default boolean startTlsRequired() {
        return env().startTlsRequired(listener(), tls());
    }

    /** The authenticated user (AUTH or login window), or null. */
    AuthenticatedUser user();

    /** The user's quota escrow (R7), or null when the session is not throttled. */
    QuotaEscrow quota();

    /** The mail transaction under way, or null. */
    Transaction transaction();

    /** EHLO/HELO: any transaction is dropped; authentication stays. */
    void greeted(String name, boolean extended);

    /** MAIL accepted. */
    void beginTransaction(Transaction transaction);

    /** A RCPT accepted: DATA or BDAT may follow. */
    void recipientAccepted();

    /** RSET semantics: drop the transaction, keep greeting and authentication. */
    void resetTransaction();

    /** DATA accepted: the following bytes are message content. */
    void beginData();

    /**
     * BDAT: the next {@code size} octets are a chunk, read whatever the verdict on the command; the reply (the
     * error, or the chunk's acknowledgement) follows the chunk.
     */
    Outcome beginChunk(long size, boolean last, SmtpReply error);

    /** AUTH: further lines are SASL responses to the exchange until it ends. */
    Outcome authenticate(SaslExchange exchange, byte[] initialResponse);

    /** The reply that ends the session because Keycloak revoked its user, or null while it may send. */
    SmtpReply revoked();

    /** Whether the login window (login-before-SMTP) may still be asked in this session. */
    boolean loginWindowOpen();

    /**
     * Asks the login window once; null when the session now runs as the window's user, else the reply for the MAIL.
     */
    Future<SmtpReply> loginWindow();
}
