package dev.kanmon.submission.tls;

import dev.kanmon.submission.config.SubmissionConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SSLEngineOptions;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * TLS of the SMTP listeners: the engine, the profile's versions and suites, and the certificates (RSA and, if
 * configured, ECDSA: each client gets the one its handshake supports). Both engines are held to the same
 * profile and refuse client-initiated renegotiation (BoringSSL never renegotiates as a server; the JDK is told
 * to refuse it).
 */
public final class ServerTls {

    private static final Logger LOG = Logger.getLogger(ServerTls.class);
    private static final String REJECT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";

    private final Vertx vertx;
    private final SubmissionConfig.Tls config;
    private final SSLEngineOptions engine;
    private final List<TlsMaterial.Pair> pairs;

    public ServerTls(Vertx vertx, SubmissionConfig.Tls config) {
        this.vertx = vertx;
        this.config = config;
        this.engine = sslEngine(config);
        this.pairs = pairs(config);
        if (engine instanceof OrderedSuites.JdkEngine && System.getProperty(REJECT_RENEGOTIATION) == null) {
            // Read once by the JDK when its first server handshake runs, which is after this.
            System.setProperty(REJECT_RENEGOTIATION, "true");
        }
    }

    /** Whether a certificate is configured at all. */
    public static boolean configured(SubmissionConfig.Tls config) {
        return config.certPath().isPresent() && config.keyPath().isPresent();
    }

    /** Sets engine, versions, suites and the certificates as they are on disk now. */
    public void apply(NetServerOptions options) {
        options.setSslEngineOptions(engine)
                .setKeyCertOptions(keyCert(material()))
                .setEnabledSecureTransportProtocols(new LinkedHashSet<>(config.protocols()
                        .orElse(config.profile().protocols())));
        // The engine drops the suites it does not implement and restores the profile's order (OrderedSuites).
        engineSuites().forEach(options::addEnabledCipherSuite);
    }

    private List<String> engineSuites() {
        return engine instanceof OrderedSuites.OpenSslEngine o ? o.suites() : ((OrderedSuites.JdkEngine) engine).suites();
    }

    /** The certificates and keys as they are on disk now. */
    TlsMaterial material() {
        return TlsMaterial.read(pairs);
    }

    /**
     * The key material for the engine. For BoringSSL it is parsed into native memory once and shared by all
     * sessions: by default Netty encodes and parses it again in every handshake, and each session holds its own
     * native copy for as long as it stays open.
     */
    KeyCertOptions keyCert(TlsMaterial material) {
        PemKeyCertOptions pem = new PemKeyCertOptions().setCertValues(material.certs()).setKeyValues(material.keys());
        if (!(engine instanceof OpenSSLEngineOptions)) {
            return pem;
        }
        try {
            return KeyCertOptions.wrap(new OpenSslCachingX509KeyManagerFactory(pem.getKeyManagerFactory(vertx)));
        } catch (Exception e) {
            throw new IllegalStateException("kanmon.submission.tls: unusable certificate or key", e);
        }
    }

    public String engineName() {
        return engine instanceof OpenSSLEngineOptions ? OpenSsl.versionString() : "JDK";
    }

    /**
     * The configured TLS engine. BoringSSL is the default for its small idle sessions; where its native library
     * cannot be loaded (an unusual platform, a noexec /tmp) the listeners still start, with the JDK's engine.
     */
    private static SSLEngineOptions sslEngine(SubmissionConfig.Tls config) {
        List<String> suites = config.profile().cipherSuites();
        if (config.engine() == SubmissionConfig.TlsEngine.JDK) {
            return new OrderedSuites.JdkEngine(suites);
        }
        if (!OpenSSLEngineOptions.isAvailable()) {
            LOG.warnf(OpenSsl.unavailabilityCause(), "kanmon.submission.tls.engine=openssl, but netty-tcnative "
                    + "cannot be loaded here: using the JDK's TLS engine, which needs more heap per session");
            return new OrderedSuites.JdkEngine(suites);
        }
        return new OrderedSuites.OpenSslEngine(suites).setSessionCacheEnabled(config.sessionCache());
    }

    private static List<TlsMaterial.Pair> pairs(SubmissionConfig.Tls config) {
        List<TlsMaterial.Pair> pairs = new ArrayList<>(2);
        pairs.add(new TlsMaterial.Pair(config.certPath().orElseThrow(), config.keyPath().orElseThrow()));
        if (config.ecdsaCertPath().isPresent() != config.ecdsaKeyPath().isPresent()) {
            throw new IllegalStateException("kanmon.submission.tls.ecdsa-cert-path and ecdsa-key-path go together");
        }
        if (config.ecdsaCertPath().isPresent() && config.engine() == SubmissionConfig.TlsEngine.OPENSSL) {
            // Netty installs every matching key in BoringSSL and the last one wins, so RSA-only clients would fail.
            throw new IllegalStateException("kanmon.submission.tls.ecdsa-cert-path needs tls.engine=jdk: with "
                    + "BoringSSL only one certificate can be served");
        }
        config.ecdsaCertPath().ifPresent(cert -> pairs.add(new TlsMaterial.Pair(cert, config.ecdsaKeyPath().get())));
        for (TlsMaterial.Pair p : pairs) {
            if (!Files.isReadable(p.cert()) || !Files.isReadable(p.key())) {
                throw new IllegalStateException("kanmon.submission.tls: cannot read " + p.cert() + " or " + p.key());
            }
        }
        return List.copyOf(pairs);
    }
}
