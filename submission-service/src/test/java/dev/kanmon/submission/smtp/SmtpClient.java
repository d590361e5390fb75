package dev.kanmon.submission.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A scripted SMTP client over a real socket (SubEthaSMTP's test-client idea): send raw bytes, expect replies.
 * It writes exactly what the test says, so it can pipeline, send bare LFs or break the rules on purpose.
 */
final class SmtpClient implements AutoCloseable {

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private SmtpClient(Socket socket) throws IOException {
        use(socket);
    }

    /** Connects from 127.0.0.1 (a trusted network in the test profile). */
    static SmtpClient connect(int port) throws IOException {
        return connect(port, "127.0.0.1");
    }

    /** Connects from the given loopback source address (127.0.0.3 is untrusted and not DNSBL-listed). */
    static SmtpClient connect(int port, String source) throws IOException {
        Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(source), 0);
        s.setSoTimeout(60_000);
        return new SmtpClient(s);
    }

    /** Connects with TLS from the first byte (port 465 style). */
    static SmtpClient connectTls(int port) throws Exception {
        return connectTls(port, "127.0.0.1");
    }

    static SmtpClient connectTls(int port, String source) throws Exception {
        Socket plain = new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(source), 0);
        plain.setSoTimeout(60_000);
        SSLSocket tls = (SSLSocket) tlsContext().getSocketFactory().createSocket(plain, "localhost", port, true);
        tls.startHandshake();
        return new SmtpClient(tls);
    }

    private void use(Socket s) throws IOException {
        socket = s;
        in = s.getInputStream();
        out = s.getOutputStream();
    }

    /** Sends a line with CRLF. */
    SmtpClient send(String line) throws IOException {
        return raw(line + "\r\n");
    }

    /** Sends bytes exactly as given (ISO-8859-1 for the 8-bit ones, UTF-8 never implied). */
    SmtpClient raw(String data) throws IOException {
        return raw(data.getBytes(StandardCharsets.UTF_8));
    }

    SmtpClient raw(byte[] data) throws IOException {
        out.write(data);
        out.flush();
        return this;
    }

    /** Reads one (possibly multi-line) reply and checks that its last line starts with {@code prefix}. */
    List<String> expect(String prefix) throws IOException {
        List<String> lines = reply();
        assertThat(lines.get(lines.size() - 1)).as("reply %s", lines).startsWith(prefix);
        return lines;
    }

    List<String> reply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = line();
            if (line == null) {
                throw new IOException("connection closed; reply so far " + lines);
            }
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return lines;
            }
        }
    }

    /** Whether the server closed the connection (reads to EOF). */
    boolean closedByServer() throws IOException {
        return in.read() == -1;
    }

    /** Upgrades the connection to TLS, trusting the local stack CA. */
    void startTls() throws Exception {
        startTls(new String[0]);
    }

    /** Upgrades the connection to TLS, offering only the given protocol versions (none given: the JDK's). */
    void startTls(String... protocols) throws Exception {
        SSLSocket tls = (SSLSocket) tlsContext().getSocketFactory().createSocket(socket, "localhost",
                socket.getPort(), true);
        if (protocols.length > 0) {
            tls.setEnabledProtocols(protocols);
        }
        tls.startHandshake();
        use(tls);
    }

    String tlsProtocol() {
        return ((SSLSocket) socket).getSession().getProtocol();
    }

    /** The certificate the server presented (the leaf of its chain). */
    X509Certificate peerCertificate() throws SSLPeerUnverifiedException {
        return (X509Certificate) ((SSLSocket) socket).getSession().getPeerCertificates()[0];
    }

    private String line() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = buf.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            buf.write(b);
        }
        return null;
    }

    static SSLContext tlsContext() throws Exception {
        String stack = System.getenv().getOrDefault("KANMON_STACK", "../.local-stack");
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream ca = Files.newInputStream(Path.of(stack, "tls", "ca.crt"))) {
            trust.setCertificateEntry("kanmon-local-ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
