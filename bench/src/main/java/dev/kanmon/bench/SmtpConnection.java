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
 * event loop. Futures fail only on I/O; reply codes are checked by {@link #expect}.
 */
final class SmtpConnection {
    private final NetSocket socket;
    private final Context context;
    private final Deque<Promise<Reply>> pending = new ArrayDeque<>();
    private final List<String> lines = new ArrayList<>();
    private Buffer partial = Buffer.buffer();
    private Throwable closed;

    private SmtpConnection(NetSocket socket) {
        this.socket = socket;
        this.context = Vertx.currentContext();
        socket.handler(this::onData);
        socket.exceptionHandler(this::fail);
        socket.closeHandler(v -> fail(new IOException("connection closed")));
    }

    /** Connects and waits for the 220 greeting (which, with implicit TLS, follows the handshake). */
    static Future<SmtpConnection> open(NetClient client, Target target) {
        return client.connect(target.port(), target.host(), target.serverName())
                .recover(t -> Future.failedFuture(new SmtpFailure("CONNECT", t)))
                .compose(socket -> {
                    SmtpConnection c = new SmtpConnection(socket);
                    return c.expect().compose(r -> check("GREETING", r, 220)).map(c);
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
                        .recover(t -> Future.failedFuture(new SmtpFailure("TLS", t))))
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
        Future<Reply> reply = expect();
        socket.write(line + "\r\n");
        return reply;
    }

    /** Writes all commands in one buffer (one segment on the wire), then awaits one reply each. */
    List<Future<Reply>> pipeline(List<String> commands) {
        Buffer out = Buffer.buffer();
        List<Future<Reply>> replies = new ArrayList<>(commands.size());
        for (String c : commands) {
            out.appendString(c).appendString("\r\n");
            replies.add(expect());
        }
        socket.write(out);
        return replies;
    }

    /** Sends message content that already ends with CRLF.CRLF and awaits the end-of-data reply. */
    Future<Reply> data(Buffer content) {
        Future<Reply> reply = expect();
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
        return reply.is(expected) ? Future.succeededFuture(reply) : Future.failedFuture(new SmtpFailure(step, reply));
    }

    private Future<Reply> expect() {
        Promise<Reply> p = Promise.promise();
        if (closed != null) {
            p.fail(closed);
        } else {
            pending.add(p);
        }
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
        Promise<Reply> p = pending.poll();
        // A reply nobody waits for (421 before an idle close, say) is left to the close handler.
        if (p != null) {
            p.complete(reply);
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
        Promise<Reply> p;
        while ((p = pending.poll()) != null) {
            p.fail(t);
        }
    }
}
