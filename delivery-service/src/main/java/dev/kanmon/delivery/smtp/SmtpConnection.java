package dev.kanmon.delivery.smtp;

import dev.kanmon.core.smtp.SmtpReply;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * One client connection to an SMTP server. Replies are matched to commands in order (so PIPELINING is a
 * matter of writing several commands before awaiting their replies); every awaited reply has its own
 * timeout, which runs from the previous reply on (RFC 5321 §4.5.3.2 times each command, and a pipelined DATA
 * must not expire while the server still works on the RCPTs before it), and a timeout or protocol error
 * closes the connection because its state is then unknown.
 */
public final class SmtpConnection {

    private final Vertx vertx;
    private final NetSocket socket;
    private final String hostName;
    private final InetSocketAddress address;
    private final ReplyReader reader = new ReplyReader();
    private final Deque<Pending> pending = new ArrayDeque<>();
    private SessionState state = SessionState.GREETING;
    private Capabilities capabilities = Capabilities.HELO;
    private boolean secure;
    private int messages;
    private volatile long repliesReceived;
    private Runnable onClose = () -> { };

    /** A command line and how long its reply may take. */
    public record Command(String line, Duration timeout) {
    }

    /** An awaited reply; its timer starts when the replies before it have arrived. */
    private static final class Pending {
        final Promise<SmtpReply> promise = Promise.promise();
        final Duration timeout;
        long timer = -1;

        Pending(Duration timeout) {
            this.timeout = timeout;
        }
    }

    SmtpConnection(Vertx vertx, NetSocket socket, String hostName, InetSocketAddress address, int maxLine) {
        this.vertx = vertx;
        this.socket = socket;
        this.hostName = hostName;
        this.address = address;
        RecordParser parser = RecordParser.newDelimited("\n", this::line).maxRecordSize(maxLine);
        parser.exceptionHandler(e -> fail(new SmtpProtocolException("reply line too long")));
        socket.handler(parser);
        socket.exceptionHandler(this::fail);
        socket.closeHandler(v -> {
            state = SessionState.CLOSED;
            failAll(new SmtpProtocolException("connection closed by " + hostName));
            onClose.run();
        });
    }

    private void line(Buffer raw) {
        String line = raw.toString(StandardCharsets.UTF_8);
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        Optional<SmtpReply> reply;
        try {
            reply = reader.accept(line);
        } catch (SmtpProtocolException e) {
            fail(e);
            return;
        }
        if (reply.isEmpty()) {
            return;
        }
        Pending p;
        synchronized (this) {
            p = pending.poll();
            if (p != null) {
                vertx.cancelTimer(p.timer);
                startTimer(pending.peek());
            }
        }
        if (p == null) {
            // an unsolicited reply (typically 421 before closing an idle connection) ends the session
            close();
            return;
        }
        repliesReceived++;
        p.promise.tryComplete(reply.get());
    }

    /** Moves the session to {@code next}, refusing a transition RFC 5321 does not allow. */
    public void enter(SessionState next) {
        synchronized (this) {
            if (!state.canEnter(next)) {
                throw new IllegalStateException("SMTP client cannot go from " + state + " to " + next);
            }
            state = next;
        }
    }

    public synchronized SessionState state() {
        return state;
    }

    /** Awaits the next reply without sending anything (the greeting). */
    public Future<SmtpReply> expect(Duration timeout) {
        return expectReply(timeout);
    }

    /** Sends one command line and awaits its reply. */
    public Future<SmtpReply> command(String line, Duration timeout) {
        Future<SmtpReply> reply = expectReply(timeout);
        socket.write(line + "\r\n");
        return reply;
    }

    /** Sends several commands in one write (RFC 2920) and awaits their replies in order. */
    public Future<List<SmtpReply>> pipeline(List<Command> commands) {
        List<Future<SmtpReply>> replies = new ArrayList<>(commands.size());
        StringBuilder batch = new StringBuilder();
        for (Command command : commands) {
            replies.add(expectReply(command.timeout()));
            batch.append(command.line()).append("\r\n");
        }
        socket.write(batch.toString());
        return Future.all(replies).map(all -> {
            List<SmtpReply> out = new ArrayList<>(replies.size());
            replies.forEach(f -> out.add(f.result()));
            return out;
        });
    }

    /** Writes the dot-stuffed message and awaits the final reply to it. */
    public Future<SmtpReply> body(Buffer stuffed, Duration writeTimeout, Duration replyTimeout) {
        Future<SmtpReply> reply = expectReply(writeTimeout.plus(replyTimeout));
        long timer = vertx.setTimer(writeTimeout.toMillis(),
                t -> fail(new TimeoutException("writing the message to " + hostName + " timed out")));
        socket.write(stuffed).onComplete(ar -> vertx.cancelTimer(timer));
        return reply;
    }

    /** Negotiates TLS on this connection (STARTTLS after its 220, or implicit TLS before the greeting). */
    public Future<Void> upgradeToTls() {
        // SNI carries host names only (RFC 6066 §3), never an IP literal
        boolean literal = hostName.indexOf(':') >= 0 || hostName.chars().allMatch(c -> c == '.' || Character.isDigit(c));
        return (literal ? socket.upgradeToSsl() : socket.upgradeToSsl(hostName)).onSuccess(v -> secure = true);
    }

    private synchronized Future<SmtpReply> expectReply(Duration timeout) {
        if (state == SessionState.CLOSED) {
            return Future.failedFuture(new SmtpProtocolException("connection to " + hostName + " is closed"));
        }
        Pending p = new Pending(timeout);
        pending.add(p);
        if (pending.size() == 1) {
            startTimer(p);
        }
        return p.promise.future();
    }

    /** Starts the timer of the reply now awaited first (called holding the lock). */
    private void startTimer(Pending p) {
        if (p != null) {
            p.timer = vertx.setTimer(p.timeout.toMillis(),
                    t -> fail(new TimeoutException("no reply from " + hostName + " within " + p.timeout)));
        }
    }

    private void fail(Throwable cause) {
        failAll(cause);
        close();
    }

    private void failAll(Throwable cause) {
        List<Pending> failed;
        synchronized (this) {
            failed = new ArrayList<>(pending);
            pending.clear();
        }
        for (Pending p : failed) {
            vertx.cancelTimer(p.timer);
            p.promise.tryFail(cause);
        }
    }

    /** Sends QUIT, waits briefly for the reply and closes whatever happens. */
    public Future<Void> quit(Duration timeout) {
        if (state() == SessionState.CLOSED) {
            return Future.succeededFuture();
        }
        enter(SessionState.QUIT);
        return command("QUIT", timeout).onComplete(ar -> close()).<Void>mapEmpty().otherwiseEmpty();
    }

    public void close() {
        synchronized (this) {
            state = SessionState.CLOSED;
        }
        socket.close();
    }

    public boolean isOpen() {
        return state() != SessionState.CLOSED;
    }

    void onClose(Runnable action) {
        this.onClose = action;
    }

    public Capabilities capabilities() {
        return capabilities;
    }

    void capabilities(Capabilities capabilities) {
        this.capabilities = capabilities;
    }

    public boolean secure() {
        return secure;
    }

    public String hostName() {
        return hostName;
    }

    public InetSocketAddress address() {
        return address;
    }

    public int messages() {
        return messages;
    }

    /** How many replies this connection has received so far. */
    public long repliesReceived() {
        return repliesReceived;
    }

    void countMessage() {
        messages++;
    }
}
