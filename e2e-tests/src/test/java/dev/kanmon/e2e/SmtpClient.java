package dev.kanmon.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A small scripted SMTP client for the checks that swaks, curl and smtplib cannot express
 * (commands out of order, raw bytes, exact replies). Every call returns the exact reply read.
 * TLS trusts only the local CA ({@code .local-stack/tls/ca.crt}) and verifies the host name.
 */
public final class SmtpClient implements AutoCloseable {

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final String host;
    private final int port;
    private final List<String> transcript = new ArrayList<>();

    private SmtpClient(Socket socket, String host, int port) throws IOException {
        this.socket = socket;
        this.host = host;
        this.port = port;
        socket.setSoTimeout(30_000);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Plain TCP connection from the default source address. */
    public static SmtpClient connect(String host, int port) throws IOException {
        return connect(host, port, null);
    }

    /** Plain TCP connection bound to the given local source address (e.g. 127.0.0.3). */
    public static SmtpClient connect(String host, int port, String localAddress) throws IOException {
        Socket s = new Socket();
        if (localAddress != null) {
            s.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        }
        s.connect(new InetSocketAddress(host, port), 10_000);
        return new SmtpClient(s, host, port);
    }

    /** Implicit TLS from the first byte (port 465 style). */
    public static SmtpClient connectTls(String host, int port) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(host, port), 10_000);
        return new SmtpClient(wrap(plain, host, port), host, port);
    }

    /** Reads one (possibly multi-line) reply. */
    public Reply read() throws IOException {
        List<String> lines = new ArrayList<>();
        int code;
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new IOException("connection closed by server; transcript:\n" + transcript());
            }
            transcript.add("S: " + line);
            if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)) {
                throw new IOException("not an SMTP reply line: '" + line + "'");
            }
            code = Integer.parseInt(line.substring(0, 3));
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return Reply.of(code, lines);
            }
        }
    }

    /** Sends one command line (CRLF appended) and reads the reply. */
    public Reply send(String command) throws IOException {
        write(command + "\r\n");
        return read();
    }

    /** Writes raw text without reading (pipelining, DATA content). */
    public void write(String raw) throws IOException {
        writeBytes(raw.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes from another thread while this one reads (a flood the server may cut off): not recorded in the
     * transcript, and a connection the server closed meanwhile is not an error.
     */
    public void writeUnrecorded(String raw) {
        try {
            out.write(raw.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException closedByServer) {
            // expected when the server ends the session before reading everything
        }
    }

    public void writeBytes(byte[] raw) throws IOException {
        String shown = new String(raw, StandardCharsets.UTF_8);
        transcript.add("C: " + (shown.length() > 200 ? shown.substring(0, 200) + "..." : shown).strip());
        out.write(raw);
        out.flush();
    }

    /** STARTTLS: sends the command; on 220 upgrades the connection (verifying the certificate). */
    public Reply startTls() throws IOException {
        Reply r = send("STARTTLS");
        if (r.code() == 220) {
            socket = wrap(socket, host, port);
            in = socket.getInputStream();
            out = socket.getOutputStream();
            transcript.add("-- TLS " + ((SSLSocket) socket).getSession().getProtocol());
        }
        return r;
    }

    /**
     * STARTTLS with extra plaintext sent in the same packet (command injection, CVE-2011-0411
     * style): the server must discard it when the TLS layer starts.
     */
    public Reply startTlsWithInjected(String injected) throws IOException {
        write("STARTTLS\r\n" + injected);
        Reply r = read();
        if (r.code() == 220) {
            socket = wrap(socket, host, port);
            in = socket.getInputStream();
            out = socket.getOutputStream();
            transcript.add("-- TLS " + ((SSLSocket) socket).getSession().getProtocol());
        }
        return r;
    }

    /** AUTH PLAIN with an initial response. */
    public Reply authPlain(String user, String password) throws IOException {
        String token = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        return send("AUTH PLAIN " + token);
    }

    /** The complete DATA phase: DATA, the (already dot-stuffed, CRLF) message, then CRLF.CRLF. */
    public Reply data(byte[] message) throws IOException {
        Reply r = send("DATA");
        if (r.code() != 354) {
            return r;
        }
        writeBytes(message);
        write(endsWithCrlf(message) ? ".\r\n" : "\r\n.\r\n");
        return read();
    }

    public boolean isTls() {
        return socket instanceof SSLSocket;
    }

    public String transcript() {
        return String.join("\n", transcript);
    }

    @Override
    public void close() {
        try {
            socket.setSoTimeout(2000);
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException ignored) {
            // the server may already have closed the connection
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    private static boolean endsWithCrlf(byte[] b) {
        return b.length >= 2 && b[b.length - 2] == '\r' && b[b.length - 1] == '\n';
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] b = buf.toByteArray();
                int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, len, StandardCharsets.UTF_8);
            }
            buf.write(c);
        }
        return buf.size() == 0 ? null : buf.toString(StandardCharsets.UTF_8);
    }

    private static SSLSocket wrap(Socket plain, String host, int port) throws IOException {
        SSLSocket tls = (SSLSocket) sslContext().getSocketFactory().createSocket(plain, host, port, true);
        SSLParameters params = tls.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        if (!host.chars().allMatch(ch -> Character.isDigit(ch) || ch == '.')) {
            params.setServerNames(List.of(new SNIHostName(host)));
        }
        tls.setSSLParameters(params);
        tls.setUseClientMode(true);
        tls.startHandshake();
        return tls;
    }

    private static SSLContext sslContext() throws IOException {
        try {
            Path ca = E2eStack.caCert();
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            try (InputStream pem = Files.newInputStream(ca)) {
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(pem)) {
                    ks.setCertificateEntry("kanmon-ca-" + i++, c);
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot build the TLS context from the local CA", e);
        }
    }
}
