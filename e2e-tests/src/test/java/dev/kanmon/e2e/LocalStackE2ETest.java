package dev.kanmon.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/**
 * The infrastructure contract of docs/architecture.md ("Local stack", "Test DNS", "Keycloak
 * realm") as the running stack really serves it: dig against dnsmasq, the password grant against
 * Keycloak, a JDBC login to PostgreSQL, a Kafka admin call.
 */
class LocalStackE2ETest {

    private static String dig(String type, String name) throws Exception {
        Proc.Result r = Proc.run(List.of("dig", "+short", "+time=2", "+tries=1", "@127.0.0.1", "-p", "5300", type, name),
                null, 20);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.output().strip();
    }

    private static String digStatus(String type, String name) throws Exception {
        Proc.Result r = Proc.run(List.of("dig", "+time=2", "+tries=1", "@127.0.0.1", "-p", "5300", type, name), null, 20);
        return r.output().lines().filter(l -> l.contains("status:")).findFirst().orElse(r.output());
    }

    @Test
    void testDnsServesTheDocumentedTable() throws Exception {
        assertThat(dig("MX", "example.test")).isEqualTo("10 mx.example.test.");
        assertThat(dig("A", "mx.example.test")).isEqualTo("127.0.0.10");
        assertThat(dig("MX", "dest.test")).isEqualTo("10 mx1.dest.test.");
        assertThat(dig("A", "mx1.dest.test")).isEqualTo("127.0.0.10");
        assertThat(dig("MX", "backup.test").lines().sorted().toList())
                .containsExactly("10 mx1.backup.test.", "20 mx2.backup.test.");
        assertThat(dig("A", "mx1.backup.test")).isEqualTo("127.0.0.11");
        assertThat(dig("A", "mx2.backup.test")).isEqualTo("127.0.0.10");
        assertThat(dig("MX", "nullmx.test")).isEqualTo("0 .");
        assertThat(dig("MX", "nomx.test")).isEmpty();
        assertThat(dig("A", "nomx.test")).isEqualTo("127.0.0.10");
        assertThat(dig("A", "relay.kanmon.test")).isEqualTo("127.0.0.1");
        assertThat(digStatus("MX", "nosuch.test")).contains("NXDOMAIN");
    }

    /** The decoded JSON payload of an access token from the password grant. */
    private static String tokenClaims(String clientId, String secret, String user, String password)
            throws Exception {
        StringBuilder form = new StringBuilder("grant_type=password&client_id=" + clientId);
        if (secret != null) {
            form.append("&client_secret=").append(secret);
        }
        form.append("&username=").append(user).append("&password=").append(URLEncoder.encode(password, StandardCharsets.UTF_8));
        HttpResponse<String> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:18080/realms/kanmon/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        String token = resp.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        return payload;
    }

    @Test
    void keycloakRealmIssuesTokensWithTheDocumentedClaims() throws Exception {
        String alice = tokenClaims("smtp-submission", "smtp-submission-secret", "alice", "alice-secret");
        assertThat(alice).contains("\"iss\":\"http://127.0.0.1:18080/realms/kanmon\"")
                .contains("\"aud\":\"kanmon\"")
                .contains("\"mail_aliases\":[\"a.test@example.test\"]")
                .contains("\"email\":\"alice@example.test\"")
                .contains("\"preferred_username\":\"alice\"");
        String admin = tokenClaims("kanmon-cli", null, "admin", "admin-secret");
        assertThat(admin).contains("relay-admin").contains("relay-operator").contains("\"aud\":\"kanmon\"");
        String operator = tokenClaims("kanmon-admin", "kanmon-admin-secret", "operator", "operator-secret");
        assertThat(operator).contains("relay-operator").doesNotContain("relay-admin");
        for (String user : List.of("bob", "carol")) {
            assertThat(tokenClaims("kanmon-cli", null, user, user + "-secret"))
                    .contains("\"email\":\"" + user + "@example.test\"");
        }
    }

    @Test
    void postgresAcceptsTheKanmonRole() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:55432/kanmon", "kanmon", "kanmon");
                ResultSet rs = c.createStatement().executeQuery("select current_user, current_database()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("kanmon");
            assertThat(rs.getString(2)).isEqualTo("kanmon");
        }
    }

    @Test
    void kafkaBrokerAnswersWithTheDocumentedLimits() throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:19092");
        try (Admin admin = Admin.create(p)) {
            var nodes = admin.describeCluster().nodes().get();
            assertThat(nodes).hasSize(1);
            var resource = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.BROKER, String.valueOf(nodes.iterator().next().id()));
            var config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            Map<String, String> values = config.entries().stream()
                    .filter(e -> e.value() != null)
                    .collect(Collectors.toMap(e -> e.name(), e -> e.value()));
            assertThat(values).containsEntry("message.max.bytes", "27262976")
                    .containsEntry("num.partitions", "6")
                    .containsEntry("auto.create.topics.enable", "true");
        }
    }
}
