package dev.kanmon.delivery.it;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.parsetools.RecordParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted remote MTA on a loopback address. Recipients decide the RCPT reply by their local part:
 * {@code busy*} 451 4.2.1, {@code unknown*} 550 5.1.1, anything else 250; a sender local part
 * {@code tempfail*} gets 451 on MAIL, {@code reject*} 550, {@code nodata*} 451 on DATA, and {@code lenient*}
 * 354 on DATA even without an accepted recipient (servers that do so exist; RFC 2920 clients must cope); an
 * accepted {@code datafail*} recipient makes the end of data 554. Everything received is recorded, including
 * each read from the socket (to see what was written at once).
 */
final class ScriptedPeer implements AutoCloseable {

    /** One received transaction. */
    record Received(String mailFrom, List<String> rcptLines, String data, boolean tls, String helo) {
    }

    static final String CERT = "src/test/resources/tls/peer.crt";
    static final String KEY = "src/test/resources/tls/peer.key";

    private final NetServer server;
    private final String greeting;
    private final boolean ehlo;
    private final List<String> extensions;
    private final boolean startTls;
    private final String authPlain;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final List<String> commands = new CopyOnWriteArrayList<>();
    /** What each read from a socket returned (TLS already removed). */
    final List<String> reads = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger maxOpen = new AtomicInteger();

    /**
     * @param implicitTls TLS from the first byte
     * @param greeting    greeting line, e.g. {@code 220 peer ESMTP}
     * @param ehlo        false: EHLO is answered 500 (an old server), HELO works
     * @param extensions  EHLO keywords announced
     * @param authPlain   base64 of the only accepted AUTH PLAIN response, or null when AUTH is not required
     */
    ScriptedPeer(Vertx vertx, String host, int port, boolean implicitTls, String greeting, boolean ehlo,
            List<String> extensions, String authPlain) throws Exception {
        this.greeting = greeting;
        this.ehlo = ehlo;
        this.extensions = extensions;
        this.startTls = extensions.contains("STARTTLS");
        this.authPlain = authPlain;
        NetServerOptions options = new NetServerOptions().setHost(host).setPort(port).setSsl(implicitTls)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(CERT).setKeyPath(KEY));
        server = vertx.createNetServer(options).connectHandler(this::session);
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    private void session(NetSocket socket) {
        connections.incrementAndGet();
        maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        socket.closeHandler(v -> open.decrementAndGet());
        new Session(socket).start();
    }

    private final class Session {
        final NetSocket socket;
        final RecordParser parser;
        boolean inData;
        boolean tls;
        boolean authenticated;
        String helo;
        String mailFrom;
        final List<String> rcpts = new ArrayList<>();
        final List<String> accepted = new ArrayList<>();
        final StringBuilder data = new StringBuilder();

        Session(NetSocket socket) {
            this.socket = socket;
            this.tls = socket.isSsl();
            this.parser = RecordParser.newDelimited("\r\n", this::line);
            socket.handler(buffer -> {
                reads.add(buffer.toString(StandardCharsets.UTF_8));
                parser.handle(buffer);
            });
        }

        void start() {
            reply(greeting);
            if (!greeting.startsWith("2")) {
                socket.close();
            }
        }

        void reply(String text) {
            socket.write(text + "\r\n");
        }

        void line(Buffer buffer) {
            String line = buffer.toString(StandardCharsets.UTF_8);
            if (inData) {
                if (line.equals(".")) {
                    inData = false;
                    received.add(new Received(mailFrom, List.copyOf(rcpts), data.toString(), tls, helo));
                    boolean fail = accepted.stream().anyMatch(r -> r.startsWith("datafail"));
                    reply(fail ? "554 5.6.0 content rejected" : "250 2.0.0 Ok: queued");
                    reset();
                } else {
                    data.append(line.startsWith(".") ? line.substring(1) : line).append("\r\n");
                }
                return;
            }
            commands.add(line);
            String upper = line.toUpperCase(Locale.ROOT);
            if (upper.startsWith("EHLO ")) {
                if (!ehlo) {
                    reply("500 5.5.1 command unrecognized");
                    return;
                }
                helo = line.substring(5);
                List<String> lines = new ArrayList<>();
                lines.add("peer.test greets " + helo);
                for (String ext : extensions) {
                    if (!(tls && ext.equals("STARTTLS"))) {
                        lines.add(ext);
                    }
                }
                for (int i = 0; i < lines.size(); i++) {
                    reply("250" + (i == lines.size() - 1 ? " " : "-") + lines.get(i));
                }
            } else if (upper.startsWith("HELO ")) {
                helo = line.substring(5);
                reply("250 peer.test");
            } else if (upper.equals("STARTTLS") && startTls && !tls) {
                reply("220 2.0.0 Ready to start TLS");
                socket.upgradeToSsl().onSuccess(v -> tls = true);
            } else if (upper.startsWith("AUTH PLAIN ")) {
                authenticated = line.substring(11).equals(authPlain);
                reply(authenticated ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication credentials invalid");
            } else if (upper.startsWith("MAIL FROM:")) {
                if (authPlain != null && !authenticated) {
                    reply("530 5.7.0 Authentication required");
                    return;
                }
                String from = address(line);
                if (from.startsWith("tempfail")) {
                    reply("451 4.3.0 try again later");
                } else if (from.startsWith("reject")) {
                    reply("550 5.7.1 sender refused");
                } else {
                    mailFrom = from;
                    reply("250 2.1.0 Ok");
                }
            } else if (upper.startsWith("RCPT TO:")) {
                if (mailFrom == null) {
                    reply("503 5.5.1 need MAIL first");
                    return;
                }
                String rcpt = address(line);
                if (rcpt.startsWith("busy")) {
                    reply("451 4.2.1 mailbox busy");
                } else if (rcpt.startsWith("unknown")) {
                    reply("550 5.1.1 no such user");
                } else {
                    rcpts.add(line.substring(8));
                    accepted.add(rcpt);
                    reply("250 2.1.5 Ok");
                }
            } else if (upper.equals("DATA")) {
                if (mailFrom != null && mailFrom.startsWith("nodata")) {
                    reply("451 4.3.2 no data now");
                } else if (accepted.isEmpty() && !(mailFrom != null && mailFrom.startsWith("lenient"))) {
                    reply("554 5.5.1 no valid recipients");
                } else {
                    inData = true;
                    reply("354 End data with <CR><LF>.<CR><LF>");
                }
            } else if (upper.equals("RSET")) {
                reset();
                reply("250 2.0.0 Ok");
            } else if (upper.equals("QUIT")) {
                reply("221 2.0.0 Bye");
                socket.close();
            } else {
                reply("502 5.5.2 command not implemented");
            }
        }

        void reset() {
            mailFrom = null;
            rcpts.clear();
            accepted.clear();
            data.setLength(0);
        }
    }

    private static String address(String line) {
        int lt = line.indexOf('<');
        int gt = line.indexOf('>', lt);
        return line.substring(lt + 1, gt);
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
