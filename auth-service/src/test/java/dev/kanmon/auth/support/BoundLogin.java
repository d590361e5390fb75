package dev.kanmon.auth.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A login at Keycloak (password grant of {@code kanmon-cli}) from a chosen loopback source address, e.g. 127.0.9.7:
 * Keycloak records the TCP peer as the event's client address, and HTTP clients cannot choose their source address,
 * so this speaks HTTP/1.1 over a bound socket.
 */
public final class BoundLogin {

    private BoundLogin() {
    }

    /** The HTTP status of the token request. */
    public static int passwordGrant(String keycloakUrl, String fromIp, String username, String password)
            throws IOException {
        URI url = URI.create(keycloakUrl);
        byte[] body = ("grant_type=password&client_id=kanmon-cli&username=" + enc(username) + "&password="
                + enc(password)).getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(fromIp), 0));
            s.connect(new InetSocketAddress(url.getHost(), url.getPort()), 5_000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /realms/kanmon/protocol/openid-connect/token HTTP/1.1\r\nHost: " + url.getHost() + ":"
                    + url.getPort() + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                    + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                line.write(b);
            }
            // "HTTP/1.1 200 OK"
            return Integer.parseInt(line.toString(StandardCharsets.US_ASCII).split(" ")[1]);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
