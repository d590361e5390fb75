package dev.kanmon.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code bin/kanmonctl} against the running local stack (Keycloak, auth-, queue- and dnsbl-service, SMTP
 * submission): each operator action as an operator would type it, and its effect read back through the CLI. Needs
 * the jar of {@code ./mvnw install} (kanmonctl/target/kanmonctl.jar).
 */
class KanmonctlE2ETest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REALM = "http://127.0.0.1:18080/realms/kanmon";
    private static final Pattern QUEUED = Pattern.compile("queued as (\\S+)");
    private static final Pattern VERIFY = Pattern.compile("Open (\\S+) in a browser and confirm the code (\\S+)");

    @TempDir
    static Path operatorHome;

    @TempDir
    static Path adminHome;

    /** A subscriber of this run only: quota rows exist per name, so no other test sees its suspension or limits. */
    private static final String SUBSCRIBER = "kanmonctl-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void login() throws Exception {
        KanmonctlRun operator = KanmonctlRun.run(operatorHome, "login", "--client-credentials", "--client-secret",
                "kanmon-automation-secret");
        assertThat(operator.exit()).as("%s", operator).isZero();
        assertThat(operator.stdout()).contains("Logged in as service-account-kanmon-automation");
        deviceLogin(adminHome, "admin", "admin-secret");
    }

    @Test
    void withoutLoginTheOperatorIsToldToLogIn(@TempDir Path empty) {
        KanmonctlRun r = KanmonctlRun.run(empty, "queue", "list");
        assertThat(r.exit()).as("%s", r).isEqualTo(3);
        assertThat(r.stderr()).contains("not logged in: run kanmonctl login");
    }

    @Test
    void deviceLoginNamesThePerson() {
        KanmonctlRun r = KanmonctlRun.run(adminHome, "whoami", "-o", "json");
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(json(r).path("user").asText()).isEqualTo("admin");
        assertThat(json(r).path("client").asText()).isEqualTo("kanmon-cli");
    }

    @Test
    void suspendAndUnsuspendWithAReason() {
        KanmonctlRun suspend = op("subscriber", "suspend", SUBSCRIBER, "--reason", "spam complaint #4711");
        assertThat(suspend.exit()).as("%s", suspend).isZero();
        JsonNode shown = json(op("subscriber", "show", SUBSCRIBER, "-o", "json")).path("quota").path("limits");
        assertThat(shown.path("suspended").asBoolean()).isTrue();
        assertThat(shown.path("suspendedReason").asText()).isEqualTo("spam complaint #4711");
        KanmonctlRun table = op("subscriber", "show", SUBSCRIBER);
        assertThat(table.stdout()).as("%s", table).containsPattern("Suspended\\s+true");

        KanmonctlRun noReason = op("subscriber", "unsuspend", SUBSCRIBER);
        assertThat(noReason.exit()).as("%s", noReason).isEqualTo(2);
        assertThat(op("subscriber", "unsuspend", SUBSCRIBER, "-r", "password changed").exit()).isZero();
        assertThat(json(op("subscriber", "show", SUBSCRIBER, "-o", "json")).at("/quota/limits/suspended").asBoolean())
                .isFalse();

        JsonNode audit = json(op("audit", "--target", SUBSCRIBER, "-o", "json"));
        assertThat(audit).anySatisfy(e -> {
            assertThat(e.path("action").asText()).isEqualTo("subscriber.suspend");
            assertThat(e.path("reason").asText()).isEqualTo("spam complaint #4711");
            assertThat(e.path("before").asText()).isEqualTo("active");
            assertThat(e.path("after").asText()).isEqualTo("suspended: spam complaint #4711");
            assertThat(e.path("actor").asText()).isEqualTo("service-account-kanmon-automation");
        });
        assertThat(audit).anySatisfy(e -> {
            assertThat(e.path("action").asText()).isEqualTo("subscriber.unsuspend");
            assertThat(e.path("reason").asText()).isEqualTo("password changed");
        });
    }

    @Test
    void plansAndLimitsNeedAnAdministrator() {
        KanmonctlRun refused = op("subscriber", "plan", SUBSCRIBER, "default");
        assertThat(refused.exit()).as("%s", refused).isEqualTo(4);
        assertThat(refused.stderr()).contains("relay-admin");

        KanmonctlRun limits = admin("subscriber", "limits", SUBSCRIBER, "--messages-per-hour", "77");
        assertThat(limits.exit()).as("%s", limits).isZero();
        assertThat(json(admin("subscriber", "show", SUBSCRIBER, "-o", "json")).at("/quota/limits/messagesPerHour")
                .asInt()).isEqualTo(77);
        assertThat(admin("subscriber", "plan", SUBSCRIBER, "default").exit()).isZero();
        JsonNode plan = json(admin("subscriber", "show", SUBSCRIBER, "-o", "json")).at("/quota/limits");
        assertThat(plan.path("plan").asText()).isEqualTo("default");
        assertThat(plan.path("messagesPerHour").asInt()).isEqualTo(300);
        assertThat(json(admin("audit", "--target", SUBSCRIBER, "--action", "subscriber.limits", "-o", "json"))
                .findValuesAsText("actor")).contains("admin");
        assertThat(op("plan", "list").stdout()).contains("default");

        String newPlan = "kanmonctl-" + UUID.randomUUID().toString().substring(0, 8);
        String[] limitsOfPlan = {"--messages-per-minute", "3", "--messages-per-hour", "30", "--messages-per-day",
                "300", "--recipients-per-message", "5", "--recipients-per-day", "50", "--concurrent-sessions", "2"};
        KanmonctlRun refusedPlan = op(concat(new String[] {"plan", "set", newPlan}, limitsOfPlan));
        assertThat(refusedPlan.exit()).as("%s", refusedPlan).isEqualTo(4);
        assertThat(admin(concat(new String[] {"plan", "set", newPlan}, limitsOfPlan)).exit()).isZero();
        assertThat(op("plan", "list").stdout()).containsPattern(newPlan + "\\s+3\\s+30\\s+300\\s+5\\s+50\\s+2");
        assertThat(json(op("audit", "--target", newPlan, "-o", "json")).findValuesAsText("action"))
                .containsExactly("plan.save");
    }

    @Test
    void appPasswordsOfASubscriberAreListedAndRevoked() throws Exception {
        String bob = token("bob", "bob-secret");
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:18082/api/v1/app-passwords"))
                .header("Authorization", "Bearer " + bob).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"label\":\"kanmonctl test phone\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).path("id").asText();

        assertThat(op("subscriber", "app-passwords", "bob").stdout()).contains(id).contains("kanmonctl test phone");
        assertThat(op("subscriber", "revoke-app-password", "bob", id).exit()).isZero();
        assertThat(op("subscriber", "app-passwords", "bob").stdout()).doesNotContain(id);
        assertThat(op("audit", "--target", "bob", "--action", "subscriber.app-password.revoke").stdout()).contains(id);
        KanmonctlRun again = op("subscriber", "revoke-app-password", "bob", id);
        assertThat(again.exit()).as("%s", again).isEqualTo(5);
    }

    @Test
    void localListsAddListRemove() {
        String cidr = "100.64." + (int) (Math.random() * 250) + ".0/24";
        KanmonctlRun add = op("dnsbl", "add", "deny", cidr, "--comment", "kanmonctl test", "-o", "json");
        assertThat(add.exit()).as("%s", add).isZero();
        long id = json(add).path("id").asLong();
        assertThat(op("dnsbl", "list", "deny").stdout()).contains(cidr).contains("kanmonctl test");
        KanmonctlRun twice = op("dnsbl", "add", "deny", cidr);
        assertThat(twice.exit()).as("%s", twice).isEqualTo(6);
        assertThat(twice.stderr()).contains("already on the deny list");
        KanmonctlRun bad = op("dnsbl", "add", "deny", "100.64.1.1/16");
        assertThat(bad.exit()).as("%s", bad).isEqualTo(2);
        assertThat(op("dnsbl", "remove", "deny", Long.toString(id)).exit()).isZero();
        assertThat(op("dnsbl", "remove", "deny", Long.toString(id)).exit()).isEqualTo(5);
        JsonNode audit = json(op("audit", "--target", "deny " + cidr, "-o", "json"));
        assertThat(audit.findValuesAsText("action")).containsExactly("dnsbl.remove", "dnsbl.add");
        assertThat(audit.findValuesAsText("reason")).containsOnly("kanmonctl test");
    }

    @Test
    void aPairBanIsListedAndLifted() throws Exception {
        // ten wrong passwords of carol from an address of this run ban that pair only
        // (kanmon.auth.brute-force.pair-threshold): carol still logs in from everywhere else
        String address = "127.0." + (100 + (int) (Math.random() * 100)) + "." + (2 + (int) (Math.random() * 250));
        String login = "carol";
        for (int i = 0; i < 10; i++) {
            Process p = new ProcessBuilder("swaks", "--server", "127.0.0.1:2587", "--local-interface", address,
                    "--tls", "--auth", "PLAIN", "--auth-user", login, "--auth-password", "wrong",
                    "--from", login + "@example.test", "--to", "x@dest.test", "--quit-after", "AUTH")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> op("ban", "list").stdout().contains(address));
        assertThat(op("ban", "list").stdout()).containsPattern("pair\\s+" + Pattern.quote(address) + "\\s+" + login);

        KanmonctlRun lift = op("ban", "lift", "--address", address, "--login", login);
        assertThat(lift.exit()).as("%s", lift).isZero();
        assertThat(op("ban", "list").stdout()).doesNotContain(address);
        KanmonctlRun again = op("ban", "lift", "--address", address, "--login", login);
        assertThat(again.exit()).as("%s", again).isEqualTo(5);
        assertThat(again.stderr()).contains("no active ban");
        assertThat(json(op("audit", "--target", address + " " + login, "-o", "json")).findValuesAsText("action"))
                .containsExactly("ban.lift");
    }

    @Test
    void queueActionsAndTheirAuditRecord() throws Exception {
        String queueId = submit("kanmonctl queue test");
        // 250 comes after Kafka's ack; the queue-service records the message when it takes it from the topic.
        await().atMost(Duration.ofSeconds(30)).until(() -> op("queue", "show", queueId).exit() == 0);
        JsonNode listed = json(op("queue", "list", "--user", "bob", "--domain", "scripted.test", "--size", "1000",
                "-o", "json"));
        assertThat(listed.path("messages").findValuesAsText("queueId")).contains(queueId);
        KanmonctlRun show = op("queue", "show", queueId);
        assertThat(show.stdout()).contains("nobody@scripted.test").contains("Attempts");

        assertThat(op("queue", "hold", queueId).exit()).isZero();
        assertThat(state(queueId)).isEqualTo("held");
        assertThat(op("queue", "list", "--state", "held", "--user", "bob", "--size", "1000").stdout())
                .contains(queueId);
        assertThat(op("queue", "release", queueId).exit()).isZero();
        assertThat(state(queueId)).isIn("deferred", "delivering", "queued");
        assertThat(op("queue", "retry", queueId).exit()).isZero();
        assertThat(op("queue", "bounce", queueId).exit()).isZero();
        assertThat(state(queueId)).isEqualTo("bounced");
        KanmonctlRun delete = op("queue", "delete", queueId);
        assertThat(delete.exit()).as("an operator may not delete: %s", delete).isEqualTo(4);

        JsonNode audit = json(op("audit", "--target", queueId, "-o", "json"));
        assertThat(audit.findValuesAsText("action")).contains("queue.hold", "queue.release", "queue.retry",
                "queue.bounce");
        assertThat(audit.findValuesAsText("actor")).containsOnly("service-account-kanmon-automation");
        assertThat(op("audit", "--target", queueId).stdout()).contains("queue.hold");

        assertThat(admin("queue", "delete", queueId).exit()).isZero();
        assertThat(op("queue", "show", queueId).exit()).isEqualTo(5);
        assertThat(op("queue", "stats").stdout()).contains("deferred");
    }

    @Test
    void shellCompletionIsGenerated() {
        KanmonctlRun r = op("generate-completion");
        assertThat(r.exit()).isZero();
        assertThat(r.stdout()).contains("complete -F").contains("suspend").contains("revoke-app-password");
    }

    private static String state(String queueId) {
        return json(op("queue", "show", queueId, "-o", "json")).at("/recipients/0/state").asText();
    }

    /** bob sends one message to scripted.test, whose MX (127.0.0.13) is closed between tests: it stays deferred. */
    private static String submit(String subject) throws Exception {
        Process p = new ProcessBuilder("swaks", "--server", "127.0.0.1:2587", "--tls", "--auth", "PLAIN",
                "--auth-user", "bob", "--auth-password", "bob-secret", "--from", "bob@example.test",
                "--to", "nobody@scripted.test", "--header", "Subject: " + subject).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Matcher m = QUEUED.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static KanmonctlRun op(String... args) {
        return KanmonctlRun.run(operatorHome, args);
    }

    private static KanmonctlRun admin(String... args) {
        return KanmonctlRun.run(adminHome, args);
    }

    private static JsonNode json(KanmonctlRun r) {
        assertThat(r.exit()).as("%s", r).isZero();
        try {
            return JSON.readTree(r.stdout());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r, e);
        }
    }

    /** {@code kanmonctl login} as a person: the code it shows is confirmed on Keycloak's pages. */
    static void deviceLogin(Path home, String user, String password) throws Exception {
        Process p = KanmonctlRun.builder(home, "login").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        String line;
        Matcher m = null;
        while ((line = err.readLine()) != null) {
            Matcher candidate = VERIFY.matcher(line);
            if (candidate.find()) {
                m = candidate;
                break;
            }
        }
        assertThat(m).as("kanmonctl login printed no verification address").isNotNull();
        new KeycloakBrowser().approve(URI.create(m.group(1)), user, password);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.exists(home.resolve("session.json"))).isTrue();
    }

    private static String token(String user, String password) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(REALM + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=kanmon-cli&username=" + user
                        + "&password=" + password)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).path("access_token").asText();
    }
}
