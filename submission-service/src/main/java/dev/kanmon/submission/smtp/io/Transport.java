package dev.kanmon.submission.smtp.io;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import javax.net.ssl.SSLSession;

/**
 * The connection under an SMTP session: a socket in production ({@link SocketTransport}), memory in the session's unit
 * tests. Called on the session's event loop only.
 */
public interface Transport {

    /** The client's address (after the PROXY protocol, when the listener uses it). */
    String clientIp();

    int clientPort();

    /** The address of the TCP peer itself: the proxy's, when the listener uses the PROXY protocol. */
    String peerIp();

    /** Whether TLS runs on the connection. */
    boolean ssl();

    /** The TLS session, or null without TLS. */
    SSLSession sslSession();

    /** Wires inbound bytes and the end of the connection. */
    void handlers(Handler<Buffer> input, Runnable closed);

    /** Stops reading: unread input stays in the kernel's buffer (back-pressure while the session waits). */
    void pause();

    void resume();

    void write(Buffer data);

    /** Writes {@code last} (when not null) and then closes. */
    void close(Buffer last);

    /** Starts the TLS handshake on the connection (STARTTLS). */
    Future<Void> upgradeToSsl();
}
