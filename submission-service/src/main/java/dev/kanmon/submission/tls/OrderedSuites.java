package dev.kanmon.submission.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Keeps the profile's suite order. Vert.x 4 passes the enabled suites to the engine through a {@code HashSet},
 * so the order the server prefers would be arbitrary; these engine options hand Netty the profile's list,
 * restricted to what the engine implements (BoringSSL has no DHE suites, and Netty refuses unknown names).
 */
final class OrderedSuites implements SslContextFactory {

    private final SslContextFactory delegate;
    private final List<String> order;

    private OrderedSuites(SslContextFactory delegate, List<String> order) {
        this.delegate = delegate;
        this.order = order;
    }

    /** BoringSSL through netty-tcnative, with the suites in {@code order}. */
    static final class OpenSslEngine extends OpenSSLEngineOptions {

        private final List<String> order;

        OpenSslEngine(List<String> order) {
            this.order = order.stream().filter(OpenSsl::isCipherSuiteAvailable).toList();
        }

        private OpenSslEngine(OpenSslEngine other) {
            super(other);
            this.order = other.order;
        }

        /** The profile's suites this engine implements, in order. */
        List<String> suites() {
            return order;
        }

        @Override
        public OpenSslEngine copy() {
            return new OpenSslEngine(this);
        }

        @Override
        public SslContextFactory sslContextFactory() {
            return new OrderedSuites(super.sslContextFactory(), order);
        }
    }

    /** The JDK's SSLEngine, with the suites in {@code order}. */
    static final class JdkEngine extends JdkSSLEngineOptions {

        private final List<String> order;

        JdkEngine(List<String> order) {
            try {
                Set<String> supported = Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
                this.order = order.stream().filter(supported::contains).toList();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private JdkEngine(JdkEngine other) {
            super(other);
            this.order = other.order;
        }

        /** The profile's suites this engine implements, in order. */
        List<String> suites() {
            return order;
        }

        @Override
        public JdkEngine copy() {
            return new JdkEngine(this);
        }

        @Override
        public SslContextFactory sslContextFactory() {
            return new OrderedSuites(super.sslContextFactory(), order);
        }
    }

    @Override
    public SslContextFactory enabledCipherSuites(Set<String> enabled) {
        Set<String> ordered = new LinkedHashSet<>();
        order.stream().filter(enabled::contains).forEach(ordered::add);
        delegate.enabledCipherSuites(ordered);
        return this;
    }

    @Override
    public SslContextFactory useAlpn(boolean useAlpn) {
        delegate.useAlpn(useAlpn);
        return this;
    }

    @Override
    public SslContextFactory clientAuth(ClientAuth clientAuth) {
        delegate.clientAuth(clientAuth);
        return this;
    }

    @Override
    public SslContextFactory forClient(boolean forClient) {
        delegate.forClient(forClient);
        return this;
    }

    @Override
    public SslContextFactory keyMananagerFactory(KeyManagerFactory factory) {
        delegate.keyMananagerFactory(factory);
        return this;
    }

    @Override
    public SslContextFactory trustManagerFactory(TrustManagerFactory factory) {
        delegate.trustManagerFactory(factory);
        return this;
    }

    @Override
    public SslContextFactory applicationProtocols(List<String> protocols) {
        delegate.applicationProtocols(protocols);
        return this;
    }

    @Override
    public SslContextFactory serverName(String serverName) {
        delegate.serverName(serverName);
        return this;
    }

    @Override
    public SslContext create() throws SSLException {
        return delegate.create();
    }
}
