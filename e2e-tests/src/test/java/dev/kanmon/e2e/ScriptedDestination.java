package dev.kanmon.e2e;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A remote MX whose answers a test scripts per recipient (the MX of {@code scripted.test}, 127.0.0.13 in the
 * stack's DNS): {@code tempfail-once@…} is refused {@code 451 4.3.0} at its first RCPT and accepted afterwards,
 * {@code unknown@…} is {@code 550 5.1.1}, everything else {@code 250}. It records every attempt and every
 * message it accepts. Plain ESMTP without PIPELINING or STARTTLS, as many small MXs still are.
 */
final class ScriptedDestination implements AutoCloseable {

    /** One RCPT as the destination saw it. */
    record Attempt(String recipient, int code) {
    }

    /** One message the destination accepted. */
    record Accepted(String sender, List<String> recipients, String content) {
    }

    final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    final List<Accepted> accepted = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    ScriptedDestination(String address, int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(address), port));
        pool.submit(this::acceptLoop);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                pool.submit(() -> session(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void session(Socket socket) {
        try (socket) {
            socket.setSoTimeout(60_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            reply(out, "220 mx.scripted.test ESMTP scripted");
            String sender = null;
            List<String> recipients = new CopyOnWriteArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                String verb = (line.length() >= 4 ? line.substring(0, 4) : line).toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> reply(out, "250-mx.scripted.test\r\n250-8BITMIME\r\n250 ENHANCEDSTATUSCODES");
                    case "HELO" -> reply(out, "250 mx.scripted.test");
                    case "MAIL" -> {
                        sender = between(line, '<', '>');
                        recipients.clear();
                        reply(out, "250 2.1.0 Ok");
                    }
                    case "RCPT" -> {
                        String rcpt = between(line, '<', '>');
                        int code = decide(rcpt);
                        attempts.add(new Attempt(rcpt, code));
                        switch (code) {
                            case 250 -> {
                                recipients.add(rcpt);
                                reply(out, "250 2.1.5 Ok");
                            }
                            case 451 -> reply(out, "451 4.3.0 <" + rcpt + ">: try again later (scripted)");
                            default -> reply(out, "550 5.1.1 <" + rcpt + ">: Recipient address rejected: "
                                    + "User unknown (scripted)");
                        }
                    }
                    case "DATA" -> {
                        if (recipients.isEmpty()) {
                            reply(out, "554 5.5.1 Error: no valid recipients");
                            break;
                        }
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        ByteArrayOutputStream content = new ByteArrayOutputStream();
                        String l;
                        while ((l = in.readLine()) != null && !l.equals(".")) {
                            content.writeBytes((l.startsWith("..") ? l.substring(1) : l).getBytes(
                                    StandardCharsets.ISO_8859_1));
                            content.writeBytes(new byte[] {'\r', '\n'});
                        }
                        accepted.add(new Accepted(sender, List.copyOf(recipients),
                                content.toString(StandardCharsets.ISO_8859_1)));
                        reply(out, "250 2.0.0 Ok: queued by scripted");
                    }
                    case "RSET" -> {
                        sender = null;
                        recipients.clear();
                        reply(out, "250 2.0.0 Ok");
                    }
                    case "NOOP" -> reply(out, "250 2.0.0 Ok");
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 Bye");
                        return;
                    }
                    default -> reply(out, "502 5.5.2 Error: command not recognized");
                }
            }
        } catch (IOException e) {
            // the relay closed the connection: nothing to do
        }
    }

    private int decide(String rcpt) {
        String local = rcpt.substring(0, Math.max(0, rcpt.indexOf('@'))).toLowerCase(Locale.ROOT);
        if (local.startsWith("unknown")) {
            return 550;
        }
        if (local.startsWith("tempfail-once")) {
            return seen.computeIfAbsent(rcpt, k -> new AtomicInteger()).getAndIncrement() == 0 ? 451 : 250;
        }
        return 250;
    }

    private static String between(String line, char open, char close) {
        int a = line.indexOf(open);
        int b = line.indexOf(close, a + 1);
        return a < 0 || b < 0 ? "" : line.substring(a + 1, b);
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}
