package dev.kanmon.submission.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Gives BoringSSL the ECDSA certificate only for clients that can verify it. Netty chooses a server certificate
 * by asking the key manager for one key type after another in the order of the server's own TLS 1.2 suites
 * ({@code OpenSslKeyMaterialManager.setKeyMaterialServerSide}: {@code SSL.authenticationMethods} lists the server's
 * suites, not the client's) and takes the first alias it gets. The profiles list ECDHE-ECDSA first, so a plain key
 * manager holding both keys answers {@code EC} for every client and RSA-only clients fail the handshake. This one
 * answers {@code EC} only when the client's signature_algorithms offer ECDSA; BoringSSL has parsed the ClientHello
 * when it asks, and the handshake session shows them. Everyone else is asked for {@code RSA} next and gets that.
 * A TLS 1.2 client that offers ECDSA signatures but no ECDHE-ECDSA suite would get the ECDSA certificate and no
 * shared suite; real clients offer both or neither.
 */
final class ClientKeyTypeKeyManager extends X509ExtendedKeyManager {

    private static final String EC = "EC";

    private final X509ExtendedKeyManager keys;

    ClientKeyTypeKeyManager(X509ExtendedKeyManager keys) {
        this.keys = keys;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        if (EC.equals(keyType) && !offersEcdsa(engine)) {
            return null;
        }
        return keys.chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return keys.chooseServerAlias(keyType, issuers, socket);
    }

    /** Whether the handshake in progress on {@code engine} has a client that accepts ECDSA signatures. */
    static boolean offersEcdsa(SSLEngine engine) {
        SSLSession session = engine == null ? null : engine.getHandshakeSession();
        if (!(session instanceof ExtendedSSLSession extended)) {
            return false;
        }
        // Netty names them as the JDK does (SHA256withECDSA); BoringSSL's own are ecdsa_secp256r1_sha256 and the like.
        for (String algorithm : extended.getPeerSupportedSignatureAlgorithms()) {
            if (algorithm.toUpperCase(Locale.ROOT).contains("ECDSA")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return keys.getServerAliases(keyType, issuers);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return keys.getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return keys.chooseClientAlias(keyTypes, issuers, socket);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return keys.chooseEngineClientAlias(keyTypes, issuers, engine);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return keys.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return keys.getPrivateKey(alias);
    }
}
