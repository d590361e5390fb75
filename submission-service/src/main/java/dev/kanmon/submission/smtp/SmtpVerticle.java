package dev.kanmon.submission.smtp;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One event loop's share of the SMTP listeners. Several instances bind the same ports and Vert.x spreads
 * accepted connections over them, so every session lives on one event loop for its whole life.
 */
final class SmtpVerticle extends AbstractVerticle {

    /** Starts a session on an accepted connection, on the verticle's event loop. */
    interface Connections {
        void accepted(ListenerKind kind, NetSocket socket, Context context);
    }

    private final SmtpMetrics metrics;
    private final Map<ListenerKind, NetServerOptions> listeners;
    private final Consumer<NetServer> listening;
    private final Connections connections;

    /** {@code listening} learns each server once it listens, to hand it renewed certificates later. */
    SmtpVerticle(SmtpMetrics metrics, Map<ListenerKind, NetServerOptions> listeners, Consumer<NetServer> listening,
            Connections connections) {
        this.metrics = metrics;
        this.listeners = listeners;
        this.listening = listening;
        this.connections = connections;
    }

    @Override
    public void start(Promise<Void> started) {
        List<Future<NetServer>> binds = new ArrayList<>();
        listeners.forEach((kind, options) -> {
            NetServer server = vertx.createNetServer(options);
            server.connectHandler(socket -> connections.accepted(kind, socket, context));
            if (kind.implicitTls()) {
                // Handshake failures never reach the connect handler; this is where they surface.
                server.exceptionHandler(e -> metrics.tlsHandshake(kind, false));
            }
            binds.add(server.listen().onSuccess(listening::accept));
        });
        Future.all(binds).<Void>mapEmpty().onComplete(started);
    }
}
