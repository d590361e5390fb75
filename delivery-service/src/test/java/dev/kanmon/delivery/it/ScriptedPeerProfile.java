package dev.kanmon.delivery.it;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Path;
import java.util.Map;

/**
 * MX port 26025 so that test domains of the DNS table (127.0.0.10, 127.0.0.11) reach scripted peers instead of
 * the sink, plus transport-map entries to peers on 127.0.0.12, required TLS for two domains, a connection
 * limit, and DKIM signing for example.test.
 */
public final class ScriptedPeerProfile implements QuarkusTestProfile {

    static final int MX_PORT = 26025;
    static final int SMARTHOST_PORT = 26465;
    static final int OLD_SERVER_PORT = 26026;
    static final int LIMITED_PORT = 26027;

    static String path(String resource) {
        return Path.of("src/test/resources", resource).toAbsolutePath().toString();
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("kanmon.delivery.mx.port", String.valueOf(MX_PORT)),
                Map.entry("kanmon.delivery.tls.trust-pem", path("tls/ca.crt")),
                Map.entry("kanmon.delivery.tls.domains.\"example.test\"", "required"),
                Map.entry("kanmon.delivery.tls.domains.\"nomx.test\"", "required"),
                Map.entry("kanmon.delivery.transport.\"smarthost.test\".host", "127.0.0.12"),
                Map.entry("kanmon.delivery.transport.\"smarthost.test\".port", String.valueOf(SMARTHOST_PORT)),
                Map.entry("kanmon.delivery.transport.\"smarthost.test\".security", "implicit-tls"),
                Map.entry("kanmon.delivery.transport.\"smarthost.test\".username", "relay"),
                Map.entry("kanmon.delivery.transport.\"smarthost.test\".password", "s3cret"),
                Map.entry("kanmon.delivery.transport.\"smarthost.test\".mechanism", "plain"),
                Map.entry("kanmon.delivery.transport.\"helo.test\".host", "127.0.0.12"),
                Map.entry("kanmon.delivery.transport.\"helo.test\".port", String.valueOf(OLD_SERVER_PORT)),
                Map.entry("kanmon.delivery.transport.\"helo.test\".security", "none"),
                Map.entry("kanmon.delivery.transport.\"limited.test\".host", "127.0.0.12"),
                Map.entry("kanmon.delivery.transport.\"limited.test\".port", String.valueOf(LIMITED_PORT)),
                Map.entry("kanmon.delivery.transport.\"limited.test\".security", "none"),
                Map.entry("kanmon.delivery.limits.domains.\"limited.test\".connections", "1"),
                Map.entry("kanmon.delivery.dkim.domains.\"example.test\".selector", "test"),
                Map.entry("kanmon.delivery.dkim.domains.\"example.test\".key-path", path("dkim/test.key")));
    }
}
