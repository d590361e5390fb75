package dev.kanmon.submission.config;

import dev.kanmon.submission.tls.TlsProfile;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The SMTP front end: listeners, TLS, limits and relay policy. Defaults are production values (ports 587,
 * 465, 25); the {@code local} profile in {@code application.properties} moves everything to loopback and
 * unprivileged ports.
 */
@ConfigMapping(prefix = "kanmon.submission")
public interface SubmissionConfig {

    /** Name in the greeting and EHLO reply. Unset: the {@code HOSTNAME} environment variable, else {@code localhost}. */
    Optional<String> hostname();

    /** Address the listeners bind to unless a listener sets its own. */
    @WithDefault("0.0.0.0")
    String host();

    /** Event-loop instances of each listener (Vert.x spreads connections over them). 0: one per CPU core. */
    @WithDefault("0")
    int instances();

    /**
     * On shutdown: how long sessions may go on after the listeners stop taking new ones; the rest then get
     * {@code 421 4.3.2} (a message already being queued finishes first). Keep it below Kubernetes'
     * {@code terminationGracePeriodSeconds}.
     */
    @WithDefault("25s")
    Duration drainTimeout();

    /** Port 587: message submission (RFC 6409) with STARTTLS, AUTH required before MAIL. */
    Listener submission();

    /** Port 465: submission over implicit TLS (RFC 8314), same policy as 587. */
    Listener submissions();

    /** Port 25: MTA relay port, no AUTH; relays only for trusted networks or to relay domains. */
    Listener smtp();

    Tls tls();

    Limits limits();

    Relay relay();

    /** PROXY protocol from load balancers (see {@link Listener#proxyProtocol()}). */
    ProxyProtocol proxyProtocol();

    /** How the SMTP server uses the DNSBL verdict of the dnsbl-service (the client itself is configured there). */
    Dnsbl dnsbl();

    /** One SMTP listener. */
    interface Listener {

        /** Whether the listener is started. */
        @WithDefault("true")
        boolean enabled();

        /** Port to bind (production: 587, 465, 25 — set by the defaults of each listener below). */
        Optional<Integer> port();

        /** Bind address for this listener; unset: {@code kanmon.submission.host}. */
        Optional<String> host();

        /**
         * Whether every connection starts with a PROXY protocol header, v1 or v2, from the load balancer in front
         * [Postfix: smtpd_upstream_proxy_protocol]. The header's client address is used for DNSBL, bans, the
         * relay check and Received only when the TCP peer is in {@code proxy-protocol.trusted-networks};
         * other peers are disconnected.
         */
        @WithDefault("false")
        boolean proxyProtocol();
    }

    /** Load balancers allowed to speak the PROXY protocol to listeners that have {@code proxy-protocol=true}. */
    interface ProxyProtocol {

        /** CIDRs of the load balancers (their own addresses, not the clients'); unset: nobody is believed. */
        Optional<List<String>> trustedNetworks();

        /** Time a connection has to send its PROXY header before it is closed [smtpd_upstream_proxy_timeout]. */
        @WithDefault("5s")
        Duration timeout();
    }

    /** TLS for STARTTLS (587, 25) and implicit TLS (465). Without a certificate STARTTLS is not offered. */
    interface Tls {

        /** PEM certificate chain. */
        Optional<Path> certPath();

        /** PEM private key (PKCS#8 or PKCS#1). */
        Optional<Path> keyPath();

        /**
         * PEM certificate chain of a second, ECDSA, key beside the RSA one of {@code cert-path}: each client gets
         * the certificate its handshake supports. Needs {@code ecdsa-key-path}.
         */
        Optional<Path> ecdsaCertPath();

        /** PEM private key of {@code ecdsa-cert-path}. */
        Optional<Path> ecdsaKeyPath();

        /**
         * TLS versions and cipher suites of every listener: {@code intermediate} (Mozilla: TLS 1.2 with ECDHE/DHE
         * AEAD suites, and TLS 1.3), {@code modern} (TLS 1.3 only) or {@code legacy} (intermediate plus CBC and
         * static-RSA suites for old TLS 1.2 clients). The server's suite order wins.
         */
        @WithDefault("intermediate")
        TlsProfile profile();

        /** Enabled protocol versions instead of the profile's; unset: the profile's. */
        Optional<List<String>> protocols();

        /**
         * TLS implementation. {@code openssl}: BoringSSL from netty-tcnative, which holds an idle session in a few
         * KiB of native memory instead of the JDK SSLEngine's heap objects, and whose handshakes take less CPU;
         * where it cannot be loaded the server logs a warning and uses the JDK's. {@code jdk}: the JDK's SSLEngine.
         */
        @WithDefault("openssl")
        TlsEngine engine();

        /**
         * Whether the {@code openssl} engine keeps a cache of TLS 1.2 session ids that returning clients resume
         * instead of a full handshake; at most 20,480 sessions for 300 s (Netty's defaults). TLS 1.3 clients resume
         * from session tickets, which BoringSSL issues either way under keys it makes itself and rotates every two
         * days (the ticket lifetime hint), as Postfix's tlsmgr does with {@code tls_session_ticket_cipher}.
         */
        @WithDefault("true")
        boolean sessionCache();

        /**
         * How often the certificate and key files are read again and compared by content with what the listeners
         * serve; changed files (a renewed certificate, a Kubernetes secret swapped under its mount) are served to
         * the next handshake on every listener, and open sessions keep theirs. A pair that cannot be used (a broken
         * file, a key that does not match its certificate) is refused with an ERROR and the old one stays. {@code 0}
         * turns the check off.
         */
        @WithDefault("60s")
        Duration reloadInterval();

        /**
         * Whether the submission listener (587) refuses AUTH and MAIL with {@code 530 5.7.0 Must issue a STARTTLS
         * command first} until STARTTLS has run, and advertises no AUTH before it [Postfix: smtpd_tls_security_level=
         * encrypt on submission]. RFC 8314 §3-4 wants mail submission encrypted; turn this off only for legacy clients
         * that cannot do TLS, and they still get only the challenge-response mechanisms before TLS. Port 465 is
         * encrypted by nature; port 25 never requires TLS (RFC 3207 §4: a public MX must accept cleartext).
         */
        @WithDefault("true")
        boolean requiredOnSubmission();
    }

    /** See {@link Tls#engine()}. */
    enum TlsEngine {
        OPENSSL, JDK
    }

    /** Protocol limits (Postfix equivalents in brackets). */
    interface Limits {

        /** Largest message in octets, advertised as {@code SIZE} [message_size_limit]. Default 25 MiB. */
        @WithDefault("26214400")
        long maxMessageSize();

        /** Longest command line in octets including CRLF (RFC 5321 §4.5.3.1.4: 512) [line_length_limit]. */
        @WithDefault("512")
        int maxCommandLine();

        /** Longest AUTH command or SASL response line in octets (RFC 4954 §4: 12288); OAuth tokens need it. */
        @WithDefault("12288")
        int maxAuthLine();

        /** Recipients per message; more get {@code 452 4.5.3} [smtpd_recipient_limit]. */
        @WithDefault("100")
        int maxRecipients();

        /** Error replies after which the session gets {@code 421 4.7.0} and is closed [smtpd_hard_error_limit]. */
        @WithDefault("20")
        int hardErrorLimit();

        /** Time without client input after which the session gets {@code 421 4.4.2} and is closed [smtpd_timeout]. */
        @WithDefault("300s")
        Duration idleTimeout();

        /** What a bare CR or LF in DATA does: {@code reject} the message or {@code normalize} it to CRLF. */
        @WithDefault("reject")
        BareLineEndings bareLineEndings();
    }

    /** Who may relay through port 25 without AUTH. */
    interface Relay {

        /** CIDRs of the ISP's own networks, which may relay to any domain over port 25 [mynetworks]. */
        Optional<List<String>> trustedNetworks();

        /** Domains anyone may send to over port 25 (secondary MX / relay_domains). */
        Optional<List<String>> domains();
    }

    /** DNSBL use in the SMTP dialogue. */
    interface Dnsbl {

        /** Screen clients connecting to port 25 (trusted networks excepted); BLOCK gets the verdict's 554 and a close. */
        @WithDefault("true")
        boolean connectCheck();

        /**
         * What a listed address does to an AUTH that succeeded on 587/465 (a botnet host with valid credentials
         * suggests stolen ones): {@code block} refuses the AUTH with the verdict's reply, {@code flag} accepts it
         * and logs and counts the session, {@code ignore} does not ask.
         */
        @WithDefault("flag")
        AuthenticatedAction authenticatedAction();
    }

    /** See {@link Dnsbl#authenticatedAction()}. */
    enum AuthenticatedAction {
        BLOCK, FLAG, IGNORE
    }

    /** Bare CR / bare LF policy for message content. */
    enum BareLineEndings {
        /** Read to the end of data, then {@code 550 5.5.2}: nothing ambiguous reaches the queue. */
        REJECT,
        /** Turn each bare CR or LF into CRLF (what Postfix does with bare LF); the data still ends only at CRLF.CRLF. */
        NORMALIZE
    }
}
