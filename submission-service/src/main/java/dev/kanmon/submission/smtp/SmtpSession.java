package dev.kanmon.submission.smtp;

import dev.kanmon.core.smtp.EnhancedCode;
import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.auth.AuthenticatedUser;
import dev.kanmon.submission.auth.SaslExchange;
import dev.kanmon.submission.smtp.io.IdleTimer;
import dev.kanmon.submission.smtp.io.InputBuffer;
import dev.kanmon.submission.smtp.io.LineFramer;
import dev.kanmon.submission.smtp.io.Output;
import dev.kanmon.submission.smtp.io.Transport;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * One SMTP connection's bytes. Everything runs on the connection's event loop: input is framed in place, each command
 * goes to its {@link CommandHandler} with the session's {@link SessionState}, and replies produced while working
 * through pipelined input are written in one batch (RFC 2920) when the input runs dry or the session has to wait for
 * a back end. While it waits (AUTH, queue), the transport is paused and unread input stays buffered in order.
 */
final class SmtpSession implements SessionState.Input, AuthConversation.Owner {

    private static final Logger LOG = Logger.getLogger(SmtpSession.class);

    private final SmtpEnvironment env;
    private final SmtpServer.Live live;
    private final ListenerKind listener;
    private final Transport transport;
    private final Context context;
    private final String id;
    private final SessionState state;

    private final InputBuffer input = new InputBuffer();
    private final IdleTimer idle;
    private final Output output;
    private InputMode mode = InputMode.COMMAND;
    private LineFramer framer;
    private AuthConversation auth;
    private ContentEnd.Chunk chunk;
    private boolean suspended;
    private boolean closeAfterSuspend;
    private boolean closed;
    private int errors;

    SmtpSession(SmtpEnvironment env, SmtpServer.Live live, ListenerKind listener, Transport transport, Context context) {
        this.env = env;
        this.live = live;
        this.listener = listener;
        this.transport = transport;
        this.context = context;
        this.id = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        this.state = new SessionState(env, listener, id, transport.clientIp(), transport.clientPort(), this);
        this.framer = new LineFramer(env.maxAuthLine());
        this.output = new Output(transport);
        this.idle = new IdleTimer(context.owner(), env.idleTimeoutMillis(), () -> suspended, this::idleExpired);
    }

    /** Wires the transport and sends the greeting. */
    void start() {
        Outcome first = Greeting.first(env, listener, transport, live.draining(), id);
        if (first == null) {
            transport.close(null);
            return;
        }
        env.metrics().sessionOpened(listener);
        live.opened(this);
        if (transport.ssl()) {
            state.tlsEstablished(transport.sslSession());
            env.metrics().tlsHandshake(listener, true);
        }
        transport.handlers(this::onInput, this::onClosed);
        idle.start();
        LOG.debugf("session=%s listener=%s client=%s:%d connected", id, listener.id(), state.clientIp(),
                transport.clientPort());
        apply(first);
        flush();
    }

    private void onInput(Buffer buffer) {
        idle.touch();
        if (closed || mode == InputMode.TLS_PENDING) {
            return;
        }
        input.feed(buffer.getByteBuf(), this::run, () -> !closed && mode != InputMode.TLS_PENDING);
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
                    if (state.transaction().data().decode(in)) {
                        mode = InputMode.COMMAND;
                        apply(ContentEnd.ofData(env, listener, state));
                    }
                }
                case BDAT -> {
                    if (chunk.reader().read(in)) {
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
        apply(env.dispatch(state, line, octets));
    }

    // ---- outcomes and replies -------------------------------------------------------------------------------

    private void apply(Outcome outcome) {
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
        transport.pause();
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
                abandonAuth();
                reply(Replies.QUEUE_UNAVAILABLE);
            }
            if (closeAfterSuspend && !suspended) {
                write(Greeting.shuttingDown(env));
                close();
            }
            if (!closed && !suspended) {
                transport.resume();
                input.resume(this::run);
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
    private void reply(SmtpReply reply) {
        write(reply);
        if (reply.code() >= 400 && ++errors >= env.hardErrorLimit()) {
            LOG.infof("session=%s client=%s too many errors", id, state.clientIp());
            write(SmtpReply.of(421, EnhancedCode.SECURITY_TEMP, env.hostname() + " Error: too many errors"));
            close();
        }
    }

    private void write(SmtpReply reply) {
        if (!closed) {
            env.metrics().reply(listener, reply.code());
            output.add(reply.toBytes());
        }
    }

    private void flush() {
        if (!closed) {
            output.flush();
        }
    }

    private void close() {
        closed = true;
        output.close();
    }

    /**
     * The drain deadline passed: say {@code 421 4.3.2} and close — unless a message is being queued right now, whose
     * reply is sent first so that no 250 is ever lost. Called on any thread.
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
            write(Greeting.shuttingDown(env));
            close();
        });
    }

    /**
     * An identity change in Keycloak of user {@code userId} (docs/authentication.md): if this session runs as that
     * user, its next MAIL is refused and the connection closed. A transaction under way is finished; the quota lease
     * goes back now unless that transaction is still spending it, else when the session closes. Any thread.
     *
     * @return whether the session may run as that user (the final check is made on the session's event loop)
     */
    boolean revoke(String userId, String change) {
        if (!state.runsAs(userId)) {
            return false;
        }
        onContext(() -> {
            if (!closed && state.revoke(userId, change) && state.transaction() == null && !suspended) {
                state.releaseQuotaLease();
            }
        });
        return true;
    }

    private void onClosed() {
        live.closed(this);
        closed = true;
        state.close();
        idle.cancel();
        input.release();
        env.metrics().sessionClosed(listener);
        LOG.debugf("session=%s closed", id);
    }

    private void idleExpired() {
        if (!closed) {
            LOG.infof("session=%s client=%s idle timeout", id, state.clientIp());
            write(SmtpReply.of(421, EnhancedCode.TIMEOUT, env.hostname() + " Error: timeout exceeded"));
            close();
        }
    }

    // ---- STARTTLS -------------------------------------------------------------------------------------------

    private void startTls(SmtpReply reply) {
        write(reply);
        flush();
        // Anything the client pipelined after STARTTLS was sent in the clear and must not be executed
        // inside the TLS session (CVE-2011-0411).
        input.clear();
        mode = InputMode.TLS_PENDING;
        transport.upgradeToSsl().onComplete(ar -> onContext(() -> {
            env.metrics().tlsHandshake(listener, ar.succeeded());
            if (ar.failed()) {
                LOG.debugf("session=%s TLS handshake failed: %s", id, ar.cause().getMessage());
                close();
                return;
            }
            state.forgetBeforeTls();
            framer = new LineFramer(env.maxAuthLine());
            state.tlsEstablished(transport.sslSession());
            mode = InputMode.COMMAND;
        }));
    }

    // ---- AUTH (AuthConversation.Owner) ------------------------------------------------------------------------

    @Override
    public Outcome authenticate(SaslExchange exchange, byte[] initialResponse) {
        auth = new AuthConversation(this, exchange);
        mode = InputMode.AUTH;
        return auth.start(initialResponse);
    }

    @Override
    public void awaitResponse() {
        mode = InputMode.AUTH;
    }

    @Override
    public void abandon() {
        auth = null;
        mode = InputMode.COMMAND;
    }

    @Override
    public Outcome succeeded(AuthenticatedUser user) {
        abandon();
        return state.authenticated(user);
    }

    private void abandonAuth() {
        if (mode == InputMode.AUTH) {
            abandon();
        }
    }

    // ---- content (SessionState.Input) -----------------------------------------------------------------------

    @Override
    public void beginData() {
        mode = InputMode.DATA;
    }

    @Override
    public Outcome beginChunk(long size, boolean last, SmtpReply error) {
        chunk = ContentEnd.chunk(env, state.transaction(), size, last, error);
        if (size == 0) {
            return endOfChunk();
        }
        mode = InputMode.BDAT;
        return Outcome.NONE;
    }

    private Outcome endOfChunk() {
        mode = InputMode.COMMAND;
        ContentEnd.Chunk done = chunk;
        chunk = null;
        return ContentEnd.ofChunk(env, listener, state, done);
    }
}
