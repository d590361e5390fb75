package dev.kanmon.submission.smtp;

import dev.kanmon.core.smtp.EnhancedCode;
import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.auth.AuthenticatedUser;
import dev.kanmon.submission.auth.SaslExchange;
import dev.kanmon.submission.auth.client.AuthResult;
import dev.kanmon.submission.message.Submission;
import dev.kanmon.submission.quota.QuotaEscrow;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import javax.net.ssl.SSLSession;
import org.jboss.logging.Logger;

/**
 * What one session knows, as its handlers see it ({@link SessionContext}): the phase of the command sequence, the
 * client, TLS, the identity (and its quota lease and revocation), the transaction. Everything about bytes (framing,
 * output, the modes that read DATA, BDAT and SASL lines) belongs to the session and is reached through {@link Input}.
 * Used on the session's event loop only, except {@link #runsAs}.
 */
final class SessionState implements SessionContext {

    private static final Logger LOG = Logger.getLogger(SessionState.class);

    /** The transitions that change how the session reads its input. */
    interface Input {
        void beginData();

        Outcome beginChunk(long size, boolean last, SmtpReply error);

        Outcome authenticate(SaslExchange exchange, byte[] initialResponse);
    }

    private final SmtpEnvironment env;
    private final ListenerKind listener;
    private final String id;
    private final String clientIp;
    private final int clientPort;
    private final Admission admission;
    private final Input input;
    private Phase phase = Phase.CONNECTED;
    private boolean tls;
    private String tlsProtocol;
    private String tlsCipher;
    private String heloName;
    private boolean esmtp;
    private AuthenticatedUser user;
    /** Keycloak user id of {@link #user}, for {@link #runsAs} on any thread. */
    private volatile String userId;
    /** The login window was asked in this session (its answer stands until STARTTLS resets the session). */
    private boolean loginWindowAsked;
    private QuotaEscrow quota;
    private Transaction transaction;
    /** The identity change that ended the user's right to send here, or null; read by MAIL. */
    private String revokedBy;
    private boolean closed;

    SessionState(SmtpEnvironment env, ListenerKind listener, String id, String clientIp, int clientPort, Input input) {
        this.env = env;
        this.listener = listener;
        this.id = id;
        this.clientIp = clientIp;
        this.clientPort = clientPort;
        this.input = input;
        this.admission = new Admission(env, listener, id, clientIp);
    }

    // ---- what handlers read -----------------------------------------------------------------------------------

    @Override
    public SmtpEnvironment env() {
        return env;
    }

    @Override
    public ListenerKind listener() {
        return listener;
    }

    @Override
    public Phase phase() {
        return phase;
    }

    @Override
    public boolean tls() {
        return tls;
    }

    @Override
    public String clientIp() {
        return clientIp;
    }

    @Override
    public AuthenticatedUser user() {
        return user;
    }

    @Override
    public QuotaEscrow quota() {
        return quota;
    }

    @Override
    public Transaction transaction() {
        return transaction;
    }

    String id() {
        return id;
    }

    // ---- transitions ------------------------------------------------------------------------------------------

    @Override
    public void greeted(String name, boolean extended) {
        resetTransaction();
        heloName = name;
        esmtp = extended;
        phase = Phase.GREETED;
    }

    @Override
    public void beginTransaction(Transaction tx) {
        transaction = tx;
        phase = Phase.MAIL;
    }

    @Override
    public void recipientAccepted() {
        phase = Phase.RCPT;
    }

    @Override
    public void resetTransaction() {
        if (transaction != null) {
            transaction.release();
        }
        transaction = null;
        if (phase == Phase.MAIL || phase == Phase.RCPT) {
            phase = Phase.GREETED;
        }
    }

    @Override
    public void beginData() {
        transaction.startData(env.maxMessageSize(), env.normalizeBareLineEndings());
        input.beginData();
    }

    @Override
    public Outcome beginChunk(long size, boolean last, SmtpReply error) {
        return input.beginChunk(size, last, error);
    }

    @Override
    public Outcome authenticate(SaslExchange exchange, byte[] initialResponse) {
        return input.authenticate(exchange, initialResponse);
    }

    /** TLS is up (465 from the start, or after STARTTLS). */
    void tlsEstablished(SSLSession ssl) {
        tls = true;
        if (ssl != null) {
            tlsProtocol = ssl.getProtocol();
            tlsCipher = ssl.getCipherSuite();
        }
    }

    /** After the STARTTLS handshake: RFC 3207 §4.2, forget everything learnt before TLS. */
    void forgetBeforeTls() {
        phase = Phase.CONNECTED;
        heloName = null;
        esmtp = false;
        user = null;
        loginWindowAsked = false;
        releaseQuotaLease();
        resetTransaction();
    }

    // ---- identity -----------------------------------------------------------------------------------------------

    /** A user the credentials vouched for: admitted ({@link Admission}), the session runs as it; else the refusal. */
    Future<SmtpReply> admit(AuthenticatedUser candidate) {
        return admission.admit(candidate).map(a -> {
            if (a.refusal() != null) {
                return a.refusal();
            }
            if (closed && a.escrow() != null) {
                a.escrow().close();
            } else {
                quota = a.escrow();
            }
            user = a.user();
            userId = user.userId();
            LOG.infof("session=%s client=%s user=%s mechanism=%s authenticated", id, clientIp, user.username(),
                    user.mechanism());
            return (SmtpReply) null;
        });
    }

    /** AUTH succeeded: {@code 235} once the user is admitted, else the refusal. */
    Outcome authenticated(AuthenticatedUser candidate) {
        Future<Outcome> outcome = admit(candidate)
                .map(refusal -> Outcome.reply(refusal != null ? refusal : AuthConversation.SUCCESS));
        // usually complete at once: the auth-service admitted the session with the credential check
        return outcome.isComplete() && outcome.succeeded() ? outcome.result() : new Outcome.Suspend(outcome);
    }

    @Override
    public boolean loginWindowOpen() {
        return listener == ListenerKind.SUBMISSION && env.loginWindow() != null && !loginWindowAsked && user == null;
    }

    /**
     * Login-before-SMTP (587 only, after the STARTTLS that 587 requires): whether a login at the ISP opened a window
     * for this client address; if so the session runs as that user from here on, with its sender addresses and its
     * quota as after AUTH. A temporary failure is not remembered.
     */
    @Override
    public Future<SmtpReply> loginWindow() {
        loginWindowAsked = true;
        return env.loginWindow().lookup(clientIp).compose(r -> {
            if (!r.success()) {
                loginWindowAsked = r.outcome() != AuthResult.Outcome.TEMPFAIL;
                return Future.succeededFuture(r.reply());
            }
            return admit(new AuthenticatedUser(r.user(), r.addresses(), AuthenticatedUser.LOGIN_WINDOW,
                    r.admission(), r.userId()));
        });
    }

    /** Whether the session may run as Keycloak user {@code id}; any thread. */
    boolean runsAs(String keycloakUserId) {
        return keycloakUserId.equals(userId);
    }

    /**
     * Keycloak ended the user's right to send: the next MAIL gets {@link #revoked()}. True when this is news for a
     * live session of that user.
     */
    boolean revoke(String keycloakUserId, String change) {
        if (closed || revokedBy != null || user == null || !keycloakUserId.equals(user.userId())) {
            return false;
        }
        revokedBy = change;
        env.metrics().sessionRevoked(listener, change);
        LOG.infof("session=%s client=%s user=%s revoked: %s in Keycloak, next MAIL closes the session", id, clientIp,
                user.username(), change);
        return true;
    }

    /**
     * {@code 421 4.7.0}, so that a client reconnects and authenticates again, where the auth-service decides afresh.
     */
    @Override
    public SmtpReply revoked() {
        return revokedBy == null ? null : SmtpReply.of(421, EnhancedCode.SECURITY_TEMP, env.hostname()
                + " Authentication no longer valid, closing connection");
    }

    /** Gives the concurrent-session lease and the rest of the escrow back. */
    void releaseQuotaLease() {
        if (quota != null) {
            quota.close();
            quota = null;
        }
    }

    /** The connection is gone: the lease and any content go back. */
    void close() {
        closed = true;
        releaseQuotaLease();
        resetTransaction();
    }

    // ---- the end of a transaction -------------------------------------------------------------------------------

    /** The complete message for the queue; the transaction ends here whatever the queue says. */
    Submission submission() {
        Transaction tx = transaction;
        transaction = null;
        phase = Phase.GREETED;
        return new Submission(tx.sender().address(), tx.recipients(), tx.ret(), tx.envid(), tx.bodyType(),
                tx.smtpUtf8(), user, clientIp, clientPort, null, heloName, esmtp, listener.id(), tlsProtocol,
                tlsCipher, Instant.now(), Buffer.buffer(tx.content()));
    }
}
