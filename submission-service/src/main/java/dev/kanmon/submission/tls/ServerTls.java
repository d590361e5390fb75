package dev.kanmon.submission.tls;

import dev.kanmon.submission.config.SubmissionConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.util.SimpleKeyManagerFactory;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.net.SSLOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
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

    /**
     * Sets engine, versions, suites and the certificates of {@code loaded}. The engine stays for the life of the
     * listener; everything else can be replaced later with {@link #sslOptions(Loaded)}.
     */
    public void apply(NetServerOptions options, Loaded loaded) {
        SSLOptions ssl = loaded.options();
        options.setSslEngineOptions(engine)
                .setKeyCertOptions(ssl.getKeyCertOptions())
                .setEnabledSecureTransportProtocols(ssl.getEnabledSecureTransportProtocols());
        ssl.getEnabledCipherSuites().forEach(options::addEnabledCipherSuite);
    }

    /**
     * The certificates and keys as they are on disk now, checked: every file parses, every key belongs to the leaf
     * certificate of its chain, and {@code ecdsa-cert-path} holds an EC key.
     *
     * @throws IllegalStateException naming what is wrong
     */
    public Loaded load() {
        return load(read());
    }

    /** The files as they are on disk now, unchecked. */
    TlsMaterial read() {
        return TlsMaterial.read(pairs);
    }

    /** {@link #load()} of material already read; unchanged material is recognised by {@link Loaded#material()}. */
    Loaded load(TlsMaterial material) {
        List<X509Certificate> leaves = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            leaves.add(checkedLeaf(pairs.get(i), material.certs().get(i), material.keys().get(i), i > 0));
        }
        SSLOptions ssl = new SSLOptions()
                .setKeyCertOptions(keyCert(material))
                .setEnabledSecureTransportProtocols(new LinkedHashSet<>(config.protocols()
                        .orElse(config.profile().protocols())));
        // The engine drops the suites it does not implement and restores the profile's order (OrderedSuites).
        engineSuites().forEach(ssl::addEnabledCipherSuite);
        return new Loaded(material, ssl, List.copyOf(leaves));
    }

    /** The material read from disk, the TLS options made of it, and the leaf certificate of each pair. */
    public record Loaded(TlsMaterial material, SSLOptions options, List<X509Certificate> leaves) {

        /** One line per certificate for the log: key type, subject, expiry. */
        public String describe() {
            return leaves.stream().map(c -> c.getPublicKey().getAlgorithm() + " " + c.getSubjectX500Principal()
                    + " (not after " + c.getNotAfter().toInstant() + ")").collect(Collectors.joining("; "));
        }
    }

    private X509Certificate checkedLeaf(TlsMaterial.Pair pair, Buffer cert, Buffer key, boolean ecdsa) {
        try {
            X509KeyManager km = (X509KeyManager) new PemKeyCertOptions().setCertValue(cert).setKeyValue(key)
                    .getKeyManagerFactory(vertx).getKeyManagers()[0];
            String alias = Stream.of("RSA", "EC").map(type -> km.getServerAliases(type, null))
                    .filter(a -> a != null && a.length > 0).map(a -> a[0]).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("neither an RSA nor an EC key"));
            X509Certificate leaf = km.getCertificateChain(alias)[0];
            PrivateKey privateKey = km.getPrivateKey(alias);
            if (ecdsa && !"EC".equals(privateKey.getAlgorithm())) {
                throw new IllegalArgumentException("an " + privateKey.getAlgorithm() + " key where an EC key belongs");
            }
            // A key from one renewal and a certificate from another parse fine and fail every handshake.
            String algorithm = "EC".equals(privateKey.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
            byte[] probe = "kanmon".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(probe);
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signer.sign())) {
                throw new IllegalArgumentException("the key does not belong to the certificate");
            }
            return leaf;
        } catch (Exception e) {
            throw new IllegalStateException("kanmon.submission.tls: " + pair.cert() + " with " + pair.key() + ": "
                    + e.getMessage(), e);
        }
    }

    private List<String> engineSuites() {
        return engine instanceof OrderedSuites.OpenSslEngine o ? o.suites() : ((OrderedSuites.JdkEngine) engine).suites();
    }

    /**
     * The key material for the engine. The JDK's engine chooses between an RSA and an ECDSA key by itself. For
     * BoringSSL the choice is made per client by {@link ClientKeyTypeKeyManager}, and the keys are parsed into
     * native memory once and shared by all sessions: by default Netty encodes and parses them again in every
     * handshake, and each session holds its own native copy for as long as it stays open. The cache is keyed by
     * alias, which is stable here (the JDK's SunX509 key manager names each key once).
     */
    private KeyCertOptions keyCert(TlsMaterial material) {
        PemKeyCertOptions pem = new PemKeyCertOptions().setCertValues(material.certs()).setKeyValues(material.keys());
        if (!(engine instanceof OpenSSLEngineOptions)) {
            return pem;
        }
        try {
            X509ExtendedKeyManager keys = (X509ExtendedKeyManager) pem.getKeyManagerFactory(vertx).getKeyManagers()[0];
            ClientKeyTypeKeyManager chooser = new ClientKeyTypeKeyManager(keys);
            return KeyCertOptions.wrap(new OpenSslCachingX509KeyManagerFactory(new SimpleKeyManagerFactory() {
                @Override
                protected void engineInit(KeyStore keyStore, char[] password) {
                }

                @Override
                protected void engineInit(ManagerFactoryParameters parameters) {
                }

                @Override
                protected KeyManager[] engineGetKeyManagers() {
                    return new KeyManager[] {chooser};
                }
            }));
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
        config.ecdsaCertPath().ifPresent(cert -> pairs.add(new TlsMaterial.Pair(cert, config.ecdsaKeyPath().get())));
        for (TlsMaterial.Pair p : pairs) {
            if (!Files.isReadable(p.cert()) || !Files.isReadable(p.key())) {
                throw new IllegalStateException("kanmon.submission.tls: cannot read " + p.cert() + " or " + p.key());
            }
        }
        return List.copyOf(pairs);
    }
}
