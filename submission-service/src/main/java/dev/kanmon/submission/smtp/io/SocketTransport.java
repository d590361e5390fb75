package dev.kanmon.submission.smtp.io;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import javax.net.ssl.SSLSession;
import org.jboss.logging.Logger;

/** A Vert.x socket as a session's {@link Transport}. */
public final class SocketTransport implements Transport {

    private static final Logger LOG = Logger.getLogger(SocketTransport.class);

    private final NetSocket socket;

    public SocketTransport(NetSocket socket) {
        this.socket = socket;
    }

    @Override
    public String clientIp() {
        return socket.remoteAddress().hostAddress();
    }

    @Override
    public int clientPort() {
        return socket.remoteAddress().port();
    }

    @Override
    public String peerIp() {
        return socket.remoteAddress(true).hostAddress();
    }

    @Override
    public boolean ssl() {
        return socket.isSsl();
    }

    @Override
    public SSLSession sslSession() {
        return socket.sslSession();
    }

    @Override
    public void handlers(Handler<Buffer> input, Runnable closed) {
        socket.handler(input);
        socket.closeHandler(v -> closed.run());
        socket.exceptionHandler(e -> LOG.debugf("client %s socket error: %s", clientIp(), e.getMessage()));
    }

    @Override
    public void pause() {
        socket.pause();
    }

    @Override
    public void resume() {
        socket.resume();
    }

    @Override
    public void write(Buffer data) {
        socket.write(data);
    }

    @Override
    public void close(Buffer last) {
        if (last != null && last.length() > 0) {
            socket.write(last).onComplete(ar -> socket.close());
        } else {
            socket.close();
        }
    }

    @Override
    public Future<Void> upgradeToSsl() {
        return socket.upgradeToSsl();
    }
}
