package dev.kanmon.submission.smtp;

import dev.kanmon.core.queue.BodyType;
import dev.kanmon.core.log.QueueIdLog;
import dev.kanmon.core.smtp.EnhancedCode;
import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.auth.AuthenticatedUser;
import dev.kanmon.submission.auth.client.AuthResult;
import dev.kanmon.submission.config.SubmissionConfig;
import dev.kanmon.submission.dnsbl.ScreenVerdict;
import dev.kanmon.submission.message.AcceptedMessage;
import dev.kanmon.submission.message.MessageRejectedException;
import dev.kanmon.submission.message.Submission;
import dev.kanmon.submission.quota.QuotaEscrow;
import dev.kanmon.submission.quota.QuotaVerdict;
import dev.kanmon.submission.smtp.io.ChunkReader;
import dev.kanmon.submission.smtp.io.LineFramer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLSession;
import org.jboss.logging.Logger;

/**
 * One SMTP connection. Everything runs on the connection's event loop: input is framed in place, each
 * command goes to its {@link CommandHandler}, and replies produced while working through pipelined input
 * are written in one batch (RFC 2920) when the input runs dry or the session has to wait for a back end.
 * While it waits (AUTH, queue), the socket is paused and unread input stays buffered in order.
 */
public final class SmtpSession {

    private static final Logger LOG = Logger.getLogger(SmtpSession.class);

    private final SmtpEnvironment env;
    private final ListenerKind listener;
    private final NetSocket socket;
    private final Vertx vertx;
    private final Context context;
    private final String id;
    private final String clientIp;
    private final int clientPort;

    private ByteBuf pending;
    private Buffer out;
    private InputMode mode = InputMode.COMMAND;
    private LineFramer framer;
    private Phase phase = Phase.CONNECTED;
    private boolean tls;
    private String tlsProtocol;
    private String tlsCipher;
    private String heloName;
    private boolean esmtp;
    private AuthenticatedUser user;
    /** The login window was asked in this session (its answer stands until STARTTLS resets the session). */
    private boolean loginWindowAsked;
    private QuotaEscrow quota;
    private Transaction transaction;
    private AuthConversation auth;
    private ChunkReader chunk;
    private boolean chunkLast;
    private SmtpReply chunkError;
    private boolean suspended;
    private boolean closed;
    private int errors;
    private long lastInput;
    private long idleTimer = -1;

    SmtpSession(SmtpEnvironment env, ListenerKind listener, NetSocket socket, Vertx vertx, Context context) {
        this.env = env;
        this.listener = listener;
        this.socket = socket;
        this.vertx = vertx;
        this.context = context;
        this.id = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        this.clientIp = socket.remoteAddress().hostAddress();
        this.clientPort = socket.remoteAddress().port();
        this.framer = new LineFramer(env.maxAuthLine());
    }

    /** Wires the socket and sends the greeting. */
    void start() {
        if (env.proxyPolicy().proxied(listener)) {
            String peer = socket.remoteAddress(true).hostAddress();
            if (!env.proxyPolicy().trustedProxy(peer)) {
                // An untrusted peer could claim any client address (an allow-listed one, say): drop it unheard.
                LOG.warnf("listener=%s PROXY header from untrusted peer %s (claimed client %s): closed", listener.id(),
                        peer, clientIp);
                env.metrics().proxyRejected(listener);
                socket.close();
                return;
            }
            LOG.debugf("listener=%s client=%s via proxy %s", listener.id(), clientIp, peer);
        }
        env.metrics().sessionOpened(listener);
        env.sessions().add(this);
        if (socket.isSsl()) {
            tlsEstablished();
            env.metrics().tlsHandshake(listener, true);
        }
        socket.handler(this::onInput);
        socket.closeHandler(v -> onClosed());
        socket.exceptionHandler(e -> LOG.debugf("session=%s socket error: %s", id, e.getMessage()));
        lastInput = System.nanoTime();
        idleTimer = vertx.setTimer(env.idleTimeoutMillis(), t -> idleCheck());
        LOG.debugf("session=%s listener=%s client=%s:%d connected", id, listener.id(), clientIp, clientPort);
        Outcome greeting = Outcome.reply(SmtpReply.of(220, env.hostname() + " ESMTP Kanmon"));
        if (env.draining()) {
            apply(new Outcome.Close(shuttingDown()));
        } else if (listener == ListenerKind.SMTP && env.screenAtConnect() && !env.relayPolicy().trusted(clientIp)) {
            // Nothing is read until the verdict is in: a listed client never gets to say anything.
            suspend(env.screen().screen(clientIp).map(v -> {
                if (v.verdict() != ScreenVerdict.Verdict.BLOCK) {
                    return greeting;
                }
                env.metrics().dnsbl(listener, "connect", "blocked");
                LOG.infof("session=%s client=%s blocked by DNSBL %s", id, clientIp, v.listings());
                return new Outcome.Close(v.reply() != null ? v.reply() : DNSBL_BLOCKED);
            }).otherwise(greeting));
        } else {
            apply(greeting);
        }
        flush();
    }

    private static final SmtpReply DNSBL_BLOCKED = SmtpReply.of(554, EnhancedCode.DELIVERY_NOT_AUTHORIZED,
            "Service unavailable; client host blocked using DNSBL");

    // ---- input ----------------------------------------------------------------------------------------------

    private void onInput(Buffer buffer) {
        lastInput = System.nanoTime();
        if (closed || mode == InputMode.TLS_PENDING) {
            return;
        }
        ByteBuf src = buffer.getByteBuf();
        if (pending != null && pending.isReadable()) {
            pending.writeBytes(src);
            run(pending);
        } else {
            // Nothing buffered: decode straight from the socket's buffer and keep only an unfinished tail.
            run(src);
            if (src.isReadable() && !closed && mode != InputMode.TLS_PENDING) {
                if (pending == null) {
                    pending = Unpooled.buffer(Math.max(256, src.readableBytes()));
                }
                pending.writeBytes(src);
            }
        }
        if (pending != null) {
            pending.discardReadBytes();
        }
        flush();
    }

    private void run(ByteBuf in) {
        while (!suspended && !closed && in.isReadable()) {
            switch (mode) {
                case COMMAND, AUTH -> {
                    LineFramer.Frame frame = framer.next(in);
                    switch (frame) {
                        case INCOMPLETE -> {
                            return;
                        }
                        case TOO_LONG -> {
                            abandonAuth();
                            reply(Replies.LINE_TOO_LONG);
                        }
                        case MALFORMED -> {
                            abandonAuth();
                            reply(Replies.INVALID_UTF8);
                        }
                        case LINE -> onLine(framer.line(), framer.lineOctets());
                    }
                }
                case DATA -> {
                    if (transaction.data().decode(in)) {
                        apply(endOfData());
                    }
                }
                case BDAT -> {
                    if (chunk.read(in)) {
                        apply(endOfChunk());
                    }
                }
                case TLS_PENDING -> in.skipBytes(in.readableBytes());
            }
        }
    }

    private void onLine(String line, int octets) {
        if (mode == InputMode.AUTH) {
            apply(auth.respond(line));
            return;
        }
        int space = line.indexOf(' ');
        String verb = space < 0 ? line : line.substring(0, space);
        String argument = space < 0 ? "" : line.substring(space + 1);
        CommandHandler handler = env.command(verb);
        env.metrics().command(handler == null ? "unknown" : verb.toUpperCase(Locale.ROOT));
        if (handler == null) {
            reply(Replies.UNKNOWN_COMMAND);
        } else if (octets + 2 > env.maxCommandLine() && !(handler instanceof LongLineAllowed)) {
            reply(Replies.LINE_TOO_LONG);
        } else {
            apply(handler.handle(this, argument));
        }
    }

    /** Marks handlers whose lines may exceed the command line limit up to the AUTH line limit (RFC 4954). */
    public interface LongLineAllowed {
    }

    // ---- outcomes and replies -------------------------------------------------------------------------------

    void apply(Outcome outcome) {
        if (outcome instanceof Outcome.Reply r) {
            reply(r.reply());
        } else if (outcome instanceof Outcome.Close c) {
            write(c.reply());
            close();
        } else if (outcome instanceof Outcome.Suspend s) {
            suspend(s.next());
        } else if (outcome instanceof Outcome.StartTls t) {
            startTls(t.reply());
        }
    }

    private void suspend(Future<Outcome> next) {
        suspended = true;
        socket.pause();
        flush();
        next.onComplete(ar -> onContext(() -> {
            suspended = false;
            if (closed) {
                return;
            }
            if (ar.succeeded()) {
                apply(ar.result());
            } else {
                LOG.warnf(ar.cause(), "session=%s back end failed", id);
                reply(Replies.QUEUE_UNAVAILABLE);
            }
            if (closeAfterSuspend && !suspended) {
                write(shuttingDown());
                close();
            }
            if (!closed && !suspended) {
                socket.resume();
                if (pending != null && pending.isReadable()) {
                    run(pending);
                    pending.discardReadBytes();
                }
            }
            flush();
        }));
    }

    private void onContext(Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    /** Queues a reply, counting errors towards the hard error limit. */
    public void reply(SmtpReply reply) {
        write(reply);
        if (reply.code() >= 400 && ++errors >= env.hardErrorLimit()) {
            LOG.infof("session=%s client=%s too many errors", id, clientIp);
            write(SmtpReply.of(421, EnhancedCode.SECURITY_TEMP, env.hostname() + " Error: too many errors"));
            close();
        }
    }

    private void write(SmtpReply reply) {
        if (closed) {
            return;
        }
        env.metrics().reply(listener, reply.code());
        if (out == null) {
            out = Buffer.buffer(128);
        }
        out.appendBytes(reply.toBytes());
    }

    private void flush() {
        if (out != null && out.length() > 0 && !closed) {
            socket.write(out);
        }
        out = null;
    }

    private void close() {
        if (closed) {
            return;
        }
        Buffer last = out;
        out = null;
        closed = true;
        if (last != null && last.length() > 0) {
            socket.write(last).onComplete(ar -> socket.close());
        } else {
            socket.close();
        }
    }

    private SmtpReply shuttingDown() {
        return SmtpReply.of(421, EnhancedCode.SYSTEM_NOT_ACCEPTING, env.hostname() + " Service shutting down");
    }

    /**
     * The drain deadline passed: say {@code 421 4.3.2} and close — unless a message is being queued right
     * now, whose reply is sent first so that no 250 is ever lost. Called on any thread.
     */
    void shutdown() {
        onContext(() -> {
            if (closed) {
                return;
            }
            if (suspended) {
                closeAfterSuspend = true;
                return;
            }
            write(shuttingDown());
            close();
        });
    }

    private boolean closeAfterSuspend;

    // ---- identity changes in Keycloak -----------------------------------------------------------------------

    /** Keycloak user id of the session's user, for {@link #revoke} on any thread; set with {@link #user}. */
    private volatile String userId;
    /** The identity change that ended the user's right to send here, or null; read by MAIL. */
    private String revokedBy;

    /**
     * An identity change in Keycloak (user disabled, deleted, credentials reset, ...; docs/authentication.md) of user
     * {@code userId}: if this session runs as that user, its next MAIL is refused with {@link #revoked()} and the
     * connection closed. A transaction under way is finished (its 250 after the queue's acknowledgement); the quota
     * escrow and lease go back now unless that transaction is still spending them, else when the session closes.
     * Called on any thread.
     *
     * @return whether the session may run as that user (the final check is made on the session's event loop)
     */
    boolean revoke(String userId, String change) {
        if (!userId.equals(this.userId)) {
            return false;
        }
        onContext(() -> {
            if (closed || revokedBy != null || user == null || !userId.equals(user.userId())) {
                return;
            }
            revokedBy = change;
            env.metrics().sessionRevoked(listener, change);
            LOG.infof("session=%s client=%s user=%s revoked: %s in Keycloak, next MAIL closes the session", id,
                    clientIp, user.username(), change);
            if (transaction == null && !suspended) {
                releaseQuotaLease();
            }
        });
        return true;
    }

    /**
     * The reply that ends a session whose user was {@linkplain #revoke revoked}, or null while it may send:
     * {@code 421 4.7.0}, so that a client reconnects and authenticates again, where the auth-service decides afresh.
     */
    public SmtpReply revoked() {
        return revokedBy == null ? null
                : SmtpReply.of(421, EnhancedCode.SECURITY_TEMP, env.hostname() + " Authentication no longer valid, "
                        + "closing connection");
    }

    private void onClosed() {
        env.sessions().remove(this);
        closed = true;
        releaseQuotaLease();
        if (idleTimer >= 0) {
            vertx.cancelTimer(idleTimer);
        }
        if (pending != null) {
            pending.release();
            pending = null;
        }
        releaseContent();
        env.metrics().sessionClosed(listener);
        LOG.debugf("session=%s closed", id);
    }

    private void idleCheck() {
        if (closed) {
            return;
        }
        long idle = (System.nanoTime() - lastInput) / 1_000_000;
        if (!suspended && idle >= env.idleTimeoutMillis()) {
            LOG.infof("session=%s client=%s idle timeout", id, clientIp);
            write(SmtpReply.of(421, EnhancedCode.TIMEOUT, env.hostname() + " Error: timeout exceeded"));
            close();
            return;
        }
        long wait = suspended ? env.idleTimeoutMillis() : env.idleTimeoutMillis() - idle;
        idleTimer = vertx.setTimer(Math.max(1, wait), t -> idleCheck());
    }

    // ---- STARTTLS -------------------------------------------------------------------------------------------

    private void startTls(SmtpReply reply) {
        write(reply);
        flush();
        // Anything the client pipelined after STARTTLS was sent in the clear and must not be executed
        // inside the TLS session (CVE-2011-0411).
        if (pending != null) {
            pending.clear();
        }
        mode = InputMode.TLS_PENDING;
        socket.upgradeToSsl().onComplete(ar -> onContext(() -> {
            env.metrics().tlsHandshake(listener, ar.succeeded());
            if (ar.failed()) {
                LOG.debugf("session=%s TLS handshake failed: %s", id, ar.cause().getMessage());
                close();
                return;
            }
            // RFC 3207 §4.2: forget everything learnt before TLS.
            phase = Phase.CONNECTED;
            heloName = null;
            esmtp = false;
            user = null;
            loginWindowAsked = false;
            releaseQuotaLease();
            resetTransaction();
            framer = new LineFramer(env.maxAuthLine());
            tlsEstablished();
            mode = InputMode.COMMAND;
        }));
    }

    private void tlsEstablished() {
        tls = true;
        SSLSession ssl = socket.sslSession();
        if (ssl != null) {
            tlsProtocol = ssl.getProtocol();
            tlsCipher = ssl.getCipherSuite();
        }
    }

    // ---- AUTH -----------------------------------------------------------------------------------------------

    /** Starts a SASL exchange; further lines are SASL responses until it ends. */
    public Outcome authenticate(AuthConversation conversation, byte[] initialResponse) {
        auth = conversation;
        mode = InputMode.AUTH;
        return conversation.start(initialResponse);
    }

    /** Called by the conversation when it needs the next client response. */
    void awaitAuthResponse() {
        mode = InputMode.AUTH;
    }

    /** Ends the SASL exchange: back to commands. */
    void endAuth(AuthenticatedUser authenticated) {
        auth = null;
        mode = InputMode.COMMAND;
        if (authenticated != null) {
            user = authenticated;
            userId = authenticated.userId();
            LOG.infof("session=%s client=%s user=%s mechanism=%s authenticated", id, clientIp,
                    authenticated.username(), authenticated.mechanism());
        }
    }

    /**
     * The exchange succeeded. On 587/465 a DNSBL-listed client with valid credentials hints at stolen ones, so
     * the operator's {@code authenticated-action} decides whether the AUTH stands; then the quota ledger admits
     * the session (suspension, concurrent sessions) and hands out a lease, released when the session ends, with
     * the session's first escrow block. The auth-service usually did that already with the credential check
     * ({@link AuthenticatedUser#admission()}); only otherwise is the ledger asked here.
     */
    Outcome authenticated(AuthenticatedUser authenticated) {
        Future<Outcome> outcome = admit(authenticated)
                .map(refusal -> Outcome.reply(refusal != null ? refusal : AuthConversation.SUCCESS));
        return outcome.isComplete() && outcome.succeeded() ? outcome.result() : new Outcome.Suspend(outcome);
    }

    /** DNSBL and quota admission of a user (AUTH or login window): null when the session now runs as the user. */
    private Future<SmtpReply> admit(AuthenticatedUser authenticated) {
        return screenAuthenticated(authenticated).compose(r -> {
            if (r != null) {
                releaseAdmission(authenticated);
                endAuth(null);
                return Future.succeededFuture(r);
            }
            if (env.quota() == null) {
                endAuth(authenticated);
                return Future.succeededFuture();
            }
            Future<QuotaVerdict> admission = authenticated.admission() != null
                    ? Future.succeededFuture(authenticated.admission())
                    : env.quota().openSession(authenticated.username());
            return admission.map(v -> {
                if (!v.allowed()) {
                    LOG.infof("session=%s client=%s user=%s AUTH refused by quota: %s", id, clientIp,
                            authenticated.username(), v.reply());
                    endAuth(null);
                    return v.reply();
                }
                QuotaEscrow escrow = env.quota().escrow(authenticated.username(), v);
                if (closed) {
                    escrow.close();
                } else {
                    quota = escrow;
                }
                endAuth(authenticated);
                return (SmtpReply) null;
            });
        });
    }

    /**
     * Login-before-SMTP (587 only, after the STARTTLS that 587 requires): a MAIL without AUTH asks once per session
     * whether a login at the ISP opened a window for this client address; if so the session runs as that user
     * from here on, with its sender addresses and its quota as after AUTH. A temporary failure is not remembered.
     *
     * @return null when the session now runs as the window's user, else the reply for the MAIL ({@code 530} when
     *         there is no window)
     */
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

    /** Whether the login window may still be asked: on 587, when it is on, not yet asked, nobody authenticated. */
    public boolean loginWindowOpen() {
        return listener == ListenerKind.SUBMISSION && env.loginWindow() != null && !loginWindowAsked && user == null;
    }

    /** A session the ledger admitted together with the credential check, refused afterwards: give the lease back. */
    private void releaseAdmission(AuthenticatedUser authenticated) {
        QuotaVerdict admitted = authenticated.admission();
        if (admitted != null && admitted.allowed() && env.quota() != null) {
            env.quota().escrow(authenticated.username(), admitted).close();
        }
    }

    /** The DNSBL's say on an authenticated client: the refusal to send, or null to let the AUTH stand. */
    private Future<SmtpReply> screenAuthenticated(AuthenticatedUser authenticated) {
        SubmissionConfig.AuthenticatedAction action = env.authenticatedAction();
        if (action == SubmissionConfig.AuthenticatedAction.IGNORE) {
            return Future.succeededFuture();
        }
        return env.screen().screen(clientIp).map(v -> {
            if (v.verdict() == ScreenVerdict.Verdict.BLOCK && action == SubmissionConfig.AuthenticatedAction.BLOCK) {
                env.metrics().dnsbl(listener, "auth", "blocked");
                LOG.warnf("session=%s client=%s user=%s AUTH refused: DNSBL %s", id, clientIp,
                        authenticated.username(), v.listings());
                return v.reply() != null ? v.reply() : DNSBL_BLOCKED;
            }
            if (v.verdict() != ScreenVerdict.Verdict.PASS) {
                env.metrics().dnsbl(listener, "auth", "flagged");
                LOG.warnf("session=%s client=%s user=%s flagged: DNSBL %s", id, clientIp, authenticated.username(),
                        v.listings());
            }
            return (SmtpReply) null;
        }).otherwise((SmtpReply) null);
    }

    /**
     * Gives the concurrent-session lease and the rest of the escrow back (end of session, or the identity
     * forgotten at STARTTLS).
     */
    private void releaseQuotaLease() {
        if (quota != null) {
            quota.close();
            quota = null;
        }
    }

    private void abandonAuth() {
        if (mode == InputMode.AUTH) {
            endAuth(null);
        }
    }

    // ---- transaction and content ----------------------------------------------------------------------------

    public void beginTransaction(Transaction tx) {
        transaction = tx;
        phase = Phase.MAIL;
    }

    public void recipientAccepted() {
        phase = Phase.RCPT;
    }

    /** RSET semantics: drop the transaction, keep greeting and authentication. */
    public void resetTransaction() {
        releaseContent();
        transaction = null;
        if (phase == Phase.MAIL || phase == Phase.RCPT) {
            phase = Phase.GREETED;
        }
    }

    public void greeted(String name, boolean extended) {
        resetTransaction();
        heloName = name;
        esmtp = extended;
        phase = Phase.GREETED;
    }

    /** DATA accepted: the following bytes are message content. */
    public void beginData() {
        transaction.startData(env.maxMessageSize(), env.normalizeBareLineEndings());
        mode = InputMode.DATA;
    }

    /**
     * BDAT: the next {@code size} octets are a chunk, read whatever the verdict on the command; the reply
     * (the error, or the chunk's acknowledgement) follows the chunk.
     */
    public Outcome beginChunk(long size, boolean last, SmtpReply error) {
        chunkLast = last;
        chunkError = error;
        // A refused chunk still occupies the stream: a reader that stores nothing skips it.
        chunk = error == null ? transaction.chunks(env.maxMessageSize()) : new ChunkReader(Unpooled.EMPTY_BUFFER, -1);
        chunk.begin(size);
        if (size == 0) {
            return endOfChunk();
        }
        mode = InputMode.BDAT;
        return Outcome.NONE;
    }

    private Outcome endOfChunk() {
        mode = InputMode.COMMAND;
        ChunkReader reader = chunk;
        chunk = null;
        if (chunkError != null) {
            SmtpReply error = chunkError;
            chunkError = null;
            return Outcome.reply(error);
        }
        if (reader.overflow()) {
            resetTransaction();
            env.metrics().rejected(listener);
            return Outcome.reply(Replies.MESSAGE_TOO_BIG);
        }
        if (!chunkLast) {
            return Outcome.reply(250, EnhancedCode.OTHER_OK, "Ok: " + reader.size() + " octets received");
        }
        if (reader.bareLineEnding(true) && transaction.bodyType() != BodyType.BINARY_MIME) {
            resetTransaction();
            env.metrics().rejected(listener);
            return Outcome.reply(Replies.BARE_LINE_ENDING);
        }
        return queue();
    }

    private Outcome endOfData() {
        mode = InputMode.COMMAND;
        var data = transaction.data();
        if (data.overflow()) {
            resetTransaction();
            env.metrics().rejected(listener);
            return Outcome.reply(Replies.MESSAGE_TOO_BIG);
        }
        if (data.bareLineEnding() && !env.normalizeBareLineEndings()) {
            resetTransaction();
            env.metrics().rejected(listener);
            return Outcome.reply(Replies.BARE_LINE_ENDING);
        }
        return queue();
    }

    /** Hands the complete message to the queue; the transaction ends here whatever the outcome. */
    private Outcome queue() {
        Transaction tx = transaction;
        Submission submission = new Submission(tx.sender().address(), tx.recipients(), tx.ret(), tx.envid(),
                tx.bodyType(), tx.smtpUtf8(), user, clientIp, clientPort, null, heloName, esmtp, listener.id(),
                tlsProtocol, tlsCipher, Instant.now(), Buffer.buffer(tx.content()));
        transaction = null;
        phase = Phase.GREETED;
        Future<AcceptedMessage> accepted;
        try {
            accepted = env.acceptor().accept(submission);
        } catch (RuntimeException e) {
            accepted = Future.failedFuture(e);
        }
        return new Outcome.Suspend(accepted.map(m -> {
            env.metrics().accepted(listener, m.size());
            // DEBUG: the delivery record per recipient is the line operators keep; this one costs on every message
            QueueIdLog.debugf(LOG, "queueId=%s session=%s listener=%s client=%s user=%s from=<%s> nrcpt=%d size=%d queued",
                    m.queueId(), id, listener.id(), clientIp, user == null ? "-" : user.username(),
                    submission.mailFrom(), submission.recipients().size(), m.size());
            return Outcome.reply(250, EnhancedCode.OTHER_OK, "Ok: queued as " + m.queueId());
        }).otherwise(e -> {
            env.metrics().rejected(listener);
            if (e instanceof MessageRejectedException r) {
                LOG.infof("session=%s client=%s from=<%s> rejected: %s", id, clientIp, submission.mailFrom(),
                        r.reply());
                return Outcome.reply(r.reply());
            }
            LOG.warnf(e, "session=%s client=%s from=<%s> queue unavailable", id, clientIp, submission.mailFrom());
            return Outcome.reply(Replies.QUEUE_UNAVAILABLE);
        }));
    }

    private void releaseContent() {
        if (transaction != null && transaction.content() != null && transaction.content().refCnt() > 0) {
            transaction.content().release();
        }
    }

    // ---- what handlers may read -----------------------------------------------------------------------------

    public SmtpEnvironment env() {
        return env;
    }

    public ListenerKind listener() {
        return listener;
    }

    public Phase phase() {
        return phase;
    }

    public boolean tls() {
        return tls;
    }

    /** The authenticated user's quota escrow (R7), or null when the session is not throttled. */
    public QuotaEscrow quota() {
        return quota;
    }

    public AuthenticatedUser user() {
        return user;
    }

    public Transaction transaction() {
        return transaction;
    }

    public String clientIp() {
        return clientIp;
    }

    public String id() {
        return id;
    }
}
