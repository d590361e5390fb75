package dev.kanmon.submission.tls;

import java.util.List;
import java.util.stream.Stream;

/**
 * The TLS versions and cipher suites of every SMTP listener, after Mozilla's server-side TLS recommendations
 * (version 5.7). Suites are IANA/JDK names, strongest first; the server's order wins. Both engines understand
 * these names; BoringSSL has no DHE suites and never offers them.
 */
public enum TlsProfile {

    /** Mozilla "intermediate": TLS 1.2 with ECDHE/DHE AEAD suites only (forward secrecy), and TLS 1.3. */
    INTERMEDIATE(List.of("TLSv1.2", "TLSv1.3"), Suites.INTERMEDIATE),
    /** Mozilla "modern": TLS 1.3 only. */
    MODERN(List.of("TLSv1.3"), Suites.TLS13),
    /**
     * Intermediate plus CBC suites and static-RSA key exchange, for TLS 1.2 clients that have neither ECDHE nor
     * GCM/ChaCha20 together (Outlook on Windows 7's SChannel; the seeds' clsmtpc on an old Red Hat-style OpenSSL
     * built without elliptic curves). No forward secrecy for those clients: use only where they must be served.
     */
    LEGACY(List.of("TLSv1.2", "TLSv1.3"), Stream.of(Suites.INTERMEDIATE, List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
            "TLS_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_RSA_WITH_AES_256_CBC_SHA256",
            "TLS_RSA_WITH_AES_128_CBC_SHA",
            "TLS_RSA_WITH_AES_256_CBC_SHA")).flatMap(List::stream).toList());

    private final List<String> protocols;
    private final List<String> cipherSuites;

    TlsProfile(List<String> protocols, List<String> cipherSuites) {
        this.protocols = protocols;
        this.cipherSuites = cipherSuites;
    }

    public List<String> protocols() {
        return protocols;
    }

    /** TLS 1.2 suites in preference order, then the TLS 1.3 ones (the JDK engine needs them listed to offer 1.3). */
    public List<String> cipherSuites() {
        return cipherSuites;
    }

    private static final class Suites {

        static final List<String> TLS13 = List.of(
                "TLS_AES_128_GCM_SHA256",
                "TLS_AES_256_GCM_SHA384",
                "TLS_CHACHA20_POLY1305_SHA256");

        static final List<String> INTERMEDIATE = Stream.of(List.of(
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"), TLS13).flatMap(List::stream).toList();
    }
}
