package dev.kanmon.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * One client SMTP connection. Replies are matched to commands in order, so pipelining is just
 * "write several commands, then await several replies"; every method runs on the socket's
 * event loop. Futures fail only with {@link SmtpFailure} io/timeout; reply codes are checked by
 * {@link #check}. Every awaited reply has a deadline, so a stuck server cannot stall a run.
 */
final class SmtpConnection {
    private final NetSocket socket;
    private final Context context;
    private final long replyTimeoutMs;
    private final Deque<Awaited> pending = new ArrayDeque<>();
    private final List<String> lines = new ArrayList<>();
    private Buffer partial = Buffer.buffer();
    private Throwable closed;

    /** A reply someone waits for: which command it answers (for the error table) and its deadline timer. */
    private record Awaited(String step, Promise<Reply> promise, long timer) {
    }

    private SmtpConnection(NetSocket socket, long replyTimeoutMs) {
        this.socket = socket;
        this.replyTimeoutMs = replyTimeoutMs;
        this.context = Vertx.currentContext();
        socket.handler(this::onData);
        socket.exceptionHandler(this::fail);
        socket.closeHandler(v -> fail(new IOException("connection closed")));
    }

    /**
     * Connects and waits for the 220 greeting (which, with implicit TLS, follows the handshake).
     * The connect must start on an event loop: Vert.x drops data that arrives before the socket
     * has a handler, and from any other thread the callback that installs it may run only after
     * the greeting was read (a GREETING time-out now and then with many sessions at once).
     */
    static Future<SmtpConnection> open(Vertx vertx, NetClient client, Target target) {
        if (Vertx.currentContext() == null) {
            Promise<SmtpConnection> p = Promise.promise();
            vertx.getOrCreateContext().runOnContext(v -> open(vertx, client, target).onComplete(p));
            return p.future();
        }
        return client.connect(target.port(), target.host(), target.serverName())
                .recover(t -> Future.failedFuture(SmtpFailure.io("CONNECT", t)))
                .compose(socket -> {
                    SmtpConnection c = new SmtpConnection(socket, target.replyTimeoutMs());
                    return c.expect("GREETING").compose(r -> check("GREETING", r, 220)).map(c);
                });
    }

    /** EHLO, then STARTTLS and EHLO again when the target uses STARTTLS. */
    Future<SmtpConnection> hello(Target target, String ehloName) {
        Future<Reply> ehlo = command("EHLO " + ehloName).compose(r -> check("EHLO", r, 250));
        if (target.tls() != TlsMode.STARTTLS) {
            return ehlo.map(this);
        }
        return ehlo.compose(r -> command("STARTTLS"))
                .compose(r -> check("STARTTLS", r, 220))
                .compose(r -> socket.upgradeToSsl(target.serverName())
                        .recover(t -> Future.failedFuture(SmtpFailure.io("TLS", t))))
                .compose(v -> command("EHLO " + ehloName))
                .compose(r -> check("EHLO", r, 250))
                .map(this);
    }

    /** AUTH PLAIN with an initial response (RFC 4954), no authzid; completes with the latency in ns. */
    Future<Long> authPlain(String user, String password) {
        String token = Base64.getEncoder().encodeToString(
                ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        long start = System.nanoTime();
        return command("AUTH PLAIN " + token)
                .compose(r -> check("AUTH", r, 235))
                .map(r -> System.nanoTime() - start);
    }

    Future<Reply> command(String line) {
        Future<Reply> reply = expect(verb(line));
        socket.write(line + "\r\n");
        return reply;
    }

    /** Writes all commands in one buffer (one segment on the wire), then awaits one reply each. */
    List<Future<Reply>> pipeline(List<String> commands) {
        Buffer out = Buffer.buffer();
        List<Future<Reply>> replies = new ArrayList<>(commands.size());
        for (String c : commands) {
            out.appendString(c).appendString("\r\n");
            replies.add(expect(verb(c)));
        }
        socket.write(out);
        return replies;
    }

    /** Sends message content that already ends with CRLF.CRLF and awaits the end-of-data reply. */
    Future<Reply> data(Buffer content) {
        Future<Reply> reply = expect("EOD");
        socket.write(content);
        return reply;
    }

    /** QUIT and close; never fails, because the session's outcome is already counted. */
    Future<Void> quit() {
        if (closed != null) {
            return Future.succeededFuture();
        }
        return command("QUIT").transform(ar -> socket.close().otherwiseEmpty());
    }

    /** Runs an exchange from a thread outside the event loop (the idle holder's main thread). */
    <T> Future<T> onContext(Supplier<Future<T>> exchange) {
        Promise<T> result = Promise.promise();
        context.runOnContext(v -> exchange.get().onComplete(result));
        return result.future();
    }

    /** Safe from any thread. */
    void close() {
        socket.close();
    }

    String tlsDescription() {
        return socket.isSsl() && socket.sslSession() != null
                ? socket.sslSession().getProtocol() + " " + socket.sslSession().getCipherSuite()
                : "none";
    }

    static Future<Reply> check(String step, Reply reply, int expected) {
        return reply.is(expected) ? Future.succeededFuture(reply) : Future.failedFuture(SmtpFailure.refused(step, reply));
    }

    private static String verb(String line) {
        int space = line.indexOf(' ');
        return space < 0 ? line : line.substring(0, space);
    }

    private Future<Reply> expect(String step) {
        Promise<Reply> p = Promise.promise();
        if (closed != null) {
            p.fail(SmtpFailure.io(step, closed));
            return p.future();
        }
        long timer = context.owner().setTimer(replyTimeoutMs, id -> {
            fail(SmtpFailure.timeout(step, replyTimeoutMs));
            socket.close();
        });
        pending.add(new Awaited(step, p, timer));
        return p.future();
    }

    private void onData(Buffer data) {
        partial.appendBuffer(data);
        int start = 0;
        for (int i = 0; i < partial.length(); i++) {
            if (partial.getByte(i) == '\n') {
                int end = i > start && partial.getByte(i - 1) == '\r' ? i - 1 : i;
                onLine(partial.getString(start, end, "UTF-8"));
                start = i + 1;
            }
        }
        partial = start == partial.length() ? Buffer.buffer() : partial.getBuffer(start, partial.length());
    }

    private void onLine(String line) {
        lines.add(line);
        if (line.length() >= 4 && line.charAt(3) == '-') {
            return;
        }
        Reply reply = new Reply(parseCode(line), List.copyOf(lines));
        lines.clear();
        Awaited a = pending.poll();
        // A reply nobody waits for (421 before an idle close, say) is left to the close handler.
        if (a != null) {
            context.owner().cancelTimer(a.timer());
            a.promise().complete(reply);
        }
    }

    private static int parseCode(String line) {
        try {
            return line.length() >= 3 ? Integer.parseInt(line.substring(0, 3)) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void fail(Throwable t) {
        if (closed == null) {
            closed = t;
        }
        Awaited a;
        while ((a = pending.poll()) != null) {
            context.owner().cancelTimer(a.timer());
            a.promise().fail(t instanceof SmtpFailure f ? f : SmtpFailure.io(a.step(), t));
        }
    }
}
