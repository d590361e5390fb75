package dev.kanmon.submission.smtp;

import dev.kanmon.submission.smtp.io.Transport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSession;

/** A connection in memory: what the session writes is collected, input is handed in by {@link Dialogue}. */
final class MemoryTransport implements Transport {

    private final Context context;
    private final String clientIp;
    private final StringBuilder written = new StringBuilder();
    private Handler<Buffer> input;
    private Runnable closedHandler;
    private boolean ssl;
    private boolean closed;
    private boolean paused;

    MemoryTransport(Context context, String clientIp, boolean ssl) {
        this.context = context;
        this.clientIp = clientIp;
        this.ssl = ssl;
    }

    @Override
    public String clientIp() {
        return clientIp;
    }

    @Override
    public int clientPort() {
        return 40000;
    }

    @Override
    public String peerIp() {
        return clientIp;
    }

    @Override
    public boolean ssl() {
        return ssl;
    }

    @Override
    public SSLSession sslSession() {
        return null;
    }

    @Override
    public void handlers(Handler<Buffer> input, Runnable closed) {
        this.input = input;
        this.closedHandler = closed;
    }

    @Override
    public void pause() {
        paused = true;
    }

    @Override
    public void resume() {
        paused = false;
    }

    @Override
    public void write(Buffer data) {
        written.append(data.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void close(Buffer last) {
        if (last != null) {
            write(last);
        }
        closeByClient();
    }

    /**
     * A handshake with no TLS engine behind it, done on the next turn of the loop as a real one would be: what the
     * session does around STARTTLS is what is tested.
     */
    @Override
    public Future<Void> upgradeToSsl() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            ssl = true;
            done.complete();
        });
        return done.future();
    }

    /** The connection ends (as the socket's close handler would say, on the next turn of the loop). */
    void closeByClient() {
        if (!closed) {
            closed = true;
            if (closedHandler != null) {
                context.runOnContext(v -> closedHandler.run());
            }
        }
    }

    void receive(Buffer data) {
        input.handle(data);
    }

    /** What was written since the last call. */
    String take() {
        String s = written.toString();
        written.setLength(0);
        return s;
    }

    boolean closed() {
        return closed;
    }

    boolean paused() {
        return paused;
    }
}
