package dev.kanmon.delivery.smtp;

import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.delivery.config.DeliveryConfig;
import dev.kanmon.delivery.config.DeliveryConfig.AuthMechanism;
import dev.kanmon.delivery.config.DeliveryConfig.TlsPolicy;
import dev.kanmon.delivery.metrics.DeliveryMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * Opens a session up to the point where a mail transaction can start: connect, greeting, EHLO (HELO when
 * EHLO is refused with 5xx), STARTTLS per policy, AUTH. Any failure is a {@link HopFailure}.
 */
@ApplicationScoped
public class SessionOpener {

    private final Vertx vertx;
    private final DeliveryConfig.Smtp smtp;
    private final String heloName;
    private final DeliveryMetrics metrics;
    /** Opportunistic TLS: any certificate (RFC 7435 — an unverified channel still beats cleartext). */
    private final NetClient trustAll;
    /** Verified TLS: chain and host name checked. */
    private final NetClient verifying;

    public SessionOpener(Vertx vertx, DeliveryConfig config, DeliveryMetrics metrics) {
        this.vertx = vertx;
        this.smtp = config.smtp();
        this.metrics = metrics;
        this.heloName = config.heloName().orElseGet(SessionOpener::localHostName);
        int connectTimeout = (int) smtp.connectTimeout().toMillis();
        this.trustAll = vertx.createNetClient(new NetClientOptions().setConnectTimeout(connectTimeout).setTrustAll(true)
                .setHostnameVerificationAlgorithm(""));
        NetClientOptions verified = new NetClientOptions().setConnectTimeout(connectTimeout)
                .setHostnameVerificationAlgorithm("HTTPS");
        config.tls().trustPem().ifPresent(path -> verified.setTrustOptions(new PemTrustOptions().addCertPath(path)));
        this.verifying = vertx.createNetClient(verified);
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Connects to {@code address} (which carries the host name for TLS) and prepares a session. */
    public Future<SmtpConnection> open(InetAddress address, int port, HopSettings hop) {
        String host = address.getHostName();
        String where = host + "[" + address.getHostAddress() + "]:" + port;
        NetClient client = hop.verify() ? verifying : trustAll;
        long started = System.nanoTime();
        return client.connect(SocketAddress.inetSocketAddress(new InetSocketAddress(address, port)))
                .recover(e -> Future.failedFuture(new HopFailure("connect to " + where + " failed: " + e.getMessage(), 0, "4.4.1", false)))
                .compose(socket -> {
                    metrics.phase("connect", elapsed(started));
                    metrics.connectionOpened();
                    SmtpConnection conn = new SmtpConnection(vertx, socket, host, new InetSocketAddress(address, port),
                            smtp.maxReplyLineLength());
                    return prepare(conn, where, hop).recover(e -> {
                        conn.quit(smtp.quitTimeout());
                        return Future.failedFuture(e instanceof HopFailure ? e
                                : new HopFailure("session with " + where + " failed: " + e.getMessage(), 0, "4.4.2", true));
                    });
                });
    }

    private Future<SmtpConnection> prepare(SmtpConnection conn, String where, HopSettings hop) {
        Future<Void> tls = hop.implicitTls()
                ? timed("tls", () -> conn.upgradeToTls()).recover(e -> tlsFailure(where, e))
                : Future.succeededFuture();
        return tls.compose(v -> timed("greeting", () -> conn.expect(smtp.greetingTimeout())))
                .compose(greeting -> greeting.code() / 100 == 2 ? hello(conn, where)
                        : Future.failedFuture(HopFailure.reply("greeting", greeting, where)))
                .compose(v -> startTls(conn, where, hop))
                .compose(v -> authenticate(conn, where, hop))
                .map(v -> {
                    conn.enter(SessionState.READY);
                    return conn;
                });
    }

    private Future<Void> hello(SmtpConnection conn, String where) {
        conn.enter(SessionState.HELLO);
        return timed("ehlo", () -> conn.command("EHLO " + heloName, smtp.commandTimeout())).compose(ehlo -> {
            if (ehlo.code() / 100 == 2) {
                conn.capabilities(Capabilities.fromEhlo(ehlo));
                return Future.succeededFuture();
            }
            if (ehlo.code() / 100 != 5) {
                return Future.failedFuture(HopFailure.reply("EHLO refused", ehlo, where));
            }
            // RFC 5321 §3.2: a server that does not know EHLO answers 5xx; fall back to HELO
            conn.enter(SessionState.HELLO);
            return conn.command("HELO " + heloName, smtp.commandTimeout()).compose(helo -> {
                if (helo.code() / 100 != 2) {
                    return Future.failedFuture(HopFailure.reply("HELO refused", helo, where));
                }
                conn.capabilities(Capabilities.HELO);
                return Future.succeededFuture();
            });
        });
    }

    private Future<Void> startTls(SmtpConnection conn, String where, HopSettings hop) {
        if (hop.implicitTls() || hop.tlsPolicy() == TlsPolicy.NONE) {
            return Future.succeededFuture();
        }
        boolean required = hop.tlsPolicy() == TlsPolicy.REQUIRED;
        if (!conn.capabilities().startTls()) {
            return required
                    ? Future.failedFuture(new HopFailure("TLS is required but " + where + " does not offer STARTTLS", 0, "4.7.5", true))
                    : Future.succeededFuture();
        }
        conn.enter(SessionState.STARTTLS);
        return timed("starttls", () -> conn.command("STARTTLS", smtp.commandTimeout())).compose(reply -> {
            if (reply.code() != 220) {
                if (required) {
                    return Future.failedFuture(new HopFailure("TLS is required but " + where + " refused STARTTLS: " + reply,
                            reply.code(), "4.7.5", true));
                }
                // opportunistic: RFC 3207 lets the client go on in cleartext after a refused STARTTLS
                conn.enter(SessionState.HELLO);
                return Future.<Void>succeededFuture();
            }
            return conn.upgradeToTls().recover(e -> tlsFailure(where, e)).compose(v -> hello(conn, where));
        });
    }

    private Future<Void> authenticate(SmtpConnection conn, String where, HopSettings hop) {
        if (hop.auth().isEmpty()) {
            return Future.succeededFuture();
        }
        HopSettings.Credentials credentials = hop.auth().get();
        if (!conn.secure()) {
            return Future.failedFuture(new HopFailure("refusing to send AUTH credentials to " + where + " without TLS", 0, "4.7.0", true));
        }
        if (!conn.capabilities().authMechanisms().contains(credentials.mechanism().name())) {
            return Future.failedFuture(new HopFailure(where + " does not offer AUTH " + credentials.mechanism(), 0, "4.7.0", true));
        }
        conn.enter(SessionState.AUTH);
        Future<SmtpReply> result = credentials.mechanism() == AuthMechanism.PLAIN
                ? conn.command("AUTH PLAIN " + b64("\0" + credentials.username() + "\0" + credentials.password()), smtp.commandTimeout())
                : conn.command("AUTH LOGIN", smtp.commandTimeout())
                        .compose(r -> expect334(r, where, () -> conn.command(b64(credentials.username()), smtp.commandTimeout())))
                        .compose(r -> expect334(r, where, () -> conn.command(b64(credentials.password()), smtp.commandTimeout())));
        return timed("auth", () -> result).compose(reply -> reply.code() == 235 ? Future.succeededFuture()
                : Future.failedFuture(HopFailure.reply("AUTH failed", reply, where)));
    }

    private static Future<SmtpReply> expect334(SmtpReply reply, String where, Supplier<Future<SmtpReply>> next) {
        return reply.code() == 334 ? next.get() : Future.succeededFuture(reply);
    }

    private static <T> Future<T> tlsFailure(String where, Throwable e) {
        return Future.failedFuture(new HopFailure("TLS handshake with " + where + " failed: " + e.getMessage(), 0, "4.7.5", true));
    }

    private <T> Future<T> timed(String phase, Supplier<Future<T>> action) {
        long started = System.nanoTime();
        return action.get().onSuccess(v -> metrics.phase(phase, elapsed(started)));
    }

    private static Duration elapsed(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
