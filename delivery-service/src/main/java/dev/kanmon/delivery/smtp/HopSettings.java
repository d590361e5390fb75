package dev.kanmon.delivery.smtp;

import dev.kanmon.delivery.config.DeliveryConfig.AuthMechanism;
import dev.kanmon.delivery.config.DeliveryConfig.TlsPolicy;
import java.util.Optional;

/**
 * How to talk to one next hop.
 *
 * @param tlsPolicy   STARTTLS policy (ignored with implicit TLS, which is always verified per {@code verify})
 * @param implicitTls TLS from the first byte (RFC 8314)
 * @param verify      whether the certificate chain and host name are checked when TLS is used
 * @param auth        credentials for SMTP AUTH, or empty
 */
public record HopSettings(TlsPolicy tlsPolicy, boolean implicitTls, boolean verify, Optional<Credentials> auth) {

    public record Credentials(String username, String password, AuthMechanism mechanism) {
        @Override
        public String toString() {
            return "Credentials[" + username + ", " + mechanism + "]";
        }
    }

    /** Direct MX delivery under a STARTTLS policy. */
    public static HopSettings mx(TlsPolicy policy) {
        return new HopSettings(policy, false, policy == TlsPolicy.REQUIRED, Optional.empty());
    }
}
