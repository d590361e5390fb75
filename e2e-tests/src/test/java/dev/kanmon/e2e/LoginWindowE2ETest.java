package dev.kanmon.e2e;

import static dev.kanmon.e2e.E2eStack.ALICE_ADDRESS;
import static dev.kanmon.e2e.E2eStack.BOB_ADDRESS;
import static dev.kanmon.e2e.E2eStack.HOST;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Login-before-SMTP (issue 11 item 3) end to end: a second submission JVM with
 * {@code kanmon.submission.login-window.enabled=true}, the stack's auth-service (windows on, 20 s in the local
 * profile), Keycloak publishing logins (bin/kanmon-stack), Kafka and PostgreSQL. A password grant at Keycloak from a
 * loopback address of the test's own lets that address submit on 587 without AUTH as that user until the window
 * ends, never as anyone else, never from another address; an address two users logged in from grants nothing.
 */
class LoginWindowE2ETest extends E2eBase {

    private static final int PORT = 6587;
    private static final int HTTP = 18097;
    private static final String KC = "http://127.0.0.1:18080";
    /** {@code %local.kanmon.auth.login-window.length} of the stack's auth-service. */
    private static final Duration WINDOW = Duration.ofSeconds(20);

    private static SubmissionReplica replica;
    private final List<String> userIds = new ArrayList<>();

    @BeforeAll
    static void startReplica() throws Exception {
        replica = SubmissionReplica.start("login-window", PORT, HTTP, "kanmon.submission.login-window.enabled=true");
    }

    @AfterAll
    static void stopReplica() throws Exception {
        if (replica != null) {
            replica.close();
        }
    }

    @AfterEach
    void deleteUsers() {
        userIds.forEach(id -> given().auth().oauth2(adminToken()).delete(KC + "/admin/realms/kanmon/users/" + id));
    }

    @Test
    void aKeycloakLoginLetsItsAddressSubmitAsThatUserOnlyUntilTheWindowEnds() throws Exception {
        String user = user();
        String other = user();
        String from = loopback();
        assertThat(keycloakLogin(from, user)).isEqualTo(200);
        long loggedIn = System.nanoTime();

        // 587 still wants STARTTLS before MAIL
        try (SmtpClient c = SmtpClient.connect(HOST, PORT, from)) {
            c.read();
            c.send("EHLO " + HELO);
            assertThat(c.send("MAIL FROM:<" + user + "@example.test>").code()).as(c.transcript()).isEqualTo(530);
        }
        // the LOGIN event reaches the auth-service through Kafka within a moment
        Awaitility.await("window open").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300))
                .until(() -> mailFrom(from, user + "@example.test") == 250);

        TestMessage message = new TestMessage("login-window", user + "@example.test", BOB_ADDRESS);
        try (SmtpClient c = session(from)) {
            assertThat(c.send("MAIL FROM:<" + message.from + ">").code()).as(c.transcript()).isEqualTo(250);
            assertThat(c.send("RCPT TO:<" + BOB_ADDRESS + ">").code()).as(c.transcript()).isEqualTo(250);
            assertThat(c.data(message.dotStuffedCrlf()).code()).as(c.transcript()).isEqualTo(250);
        }
        Sink.Dump delivered = Sink.assertDeliveredIntact(message, message.from, BOB_ADDRESS);
        // the relay's own trace field (the sink adds one above it)
        String received = delivered.all("Received").stream().map(Sink.Field::value)
                .filter(v -> v.contains("(Kanmon)")).findFirst().orElseThrow();
        assertThat(received).contains("(login-before-SMTP " + user + " from " + from + ")")
                .contains("with ESMTPS ").doesNotContain("ESMTPSA").doesNotContain("Authenticated sender");

        // as that user only: another subscriber's address, alice's, are refused
        assertThat(mailFrom(from, other + "@example.test")).isEqualTo(553);
        assertThat(mailFrom(from, ALICE_ADDRESS)).isEqualTo(553);
        // from that address only
        String neighbour = from.substring(0, from.lastIndexOf('.') + 1) + (from.endsWith(".254") ? "253" : "254");
        assertThat(mailFrom(neighbour, user + "@example.test")).isEqualTo(530);
        // and only where the feature is on: the stack's own submission-service still wants AUTH
        try (SmtpClient c = SmtpClient.connect(HOST, E2eStack.SUBMISSION, from)) {
            c.read();
            c.send("EHLO " + HELO);
            c.startTls();
            c.send("EHLO " + HELO);
            assertThat(c.send("MAIL FROM:<" + user + "@example.test>").code()).as(c.transcript()).isEqualTo(530);
        }

        // until the window ends
        Awaitility.await("window ended").atMost(WINDOW.plusSeconds(15)).pollInterval(Duration.ofMillis(500))
                .until(() -> mailFrom(from, user + "@example.test") == 530);
        assertThat(Duration.ofNanos(System.nanoTime() - loggedIn)).isGreaterThan(WINDOW.minusSeconds(2));
    }

    @Test
    void anAddressTwoUsersLoggedInFromGrantsNothing() throws Exception {
        String first = user();
        String second = user();
        String from = loopback();
        assertThat(keycloakLogin(from, first)).isEqualTo(200);
        Awaitility.await("window open").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300))
                .until(() -> mailFrom(from, first + "@example.test") == 250);
        assertThat(keycloakLogin(from, second)).isEqualTo(200);
        Awaitility.await("address shared").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300))
                .until(() -> mailFrom(from, first + "@example.test") == 530);
        assertThat(mailFrom(from, second + "@example.test")).isEqualTo(530);
    }

    @Test
    void aMailStoreLoginReportedThroughTheAdminApiOpensAWindow() throws Exception {
        String user = user();
        String from = loopback();
        assertThat(mailFrom(from, user + "@example.test")).isEqualTo(530);
        given().auth().oauth2(E2eStack.token("operator", "operator-secret")).contentType(ContentType.JSON)
                .body(Map.of("username", user, "clientIp", from, "service", "imap"))
                .post(E2eStack.AUTH_API + "/api/v1/login-windows").then().statusCode(204);
        assertThat(mailFrom(from, user + "@example.test")).isEqualTo(250);
    }

    /** The reply to MAIL FROM without AUTH, after STARTTLS, in a new session from {@code from} on the replica. */
    private static int mailFrom(String from, String sender) throws IOException {
        try (SmtpClient c = session(from)) {
            return c.send("MAIL FROM:<" + sender + ">").code();
        }
    }

    private static SmtpClient session(String from) throws IOException {
        SmtpClient c = SmtpClient.connect(HOST, PORT, from);
        c.read();
        c.send("EHLO " + HELO);
        assertThat(c.startTls().code()).as(c.transcript()).isEqualTo(220);
        c.send("EHLO " + HELO);
        return c;
    }

    /** A loopback address no other test uses: the login and the SMTP sessions come from it. */
    private static String loopback() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "127." + r.nextInt(200, 250) + "." + r.nextInt(1, 255) + "." + r.nextInt(1, 254);
    }

    /** A fresh subscriber {@code <name>@example.test} whose password is its name reversed. */
    private String user() {
        String name = "lwin-" + UUID.randomUUID().toString().substring(0, 8);
        String location = given().auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("username", name, "enabled", true, "email", name + "@example.test",
                        "emailVerified", true, "firstName", "Login", "lastName", "Window",
                        "credentials", List.of(Map.of("type", "password", "value", password(name), "temporary", false))))
                .post(KC + "/admin/realms/kanmon/users").then().statusCode(201).extract().header("Location");
        userIds.add(location.substring(location.lastIndexOf('/') + 1));
        return name;
    }

    private static String password(String name) {
        return "pw-" + new StringBuilder(name).reverse();
    }

    private static String adminToken() {
        return given().contentType(ContentType.URLENC).formParam("grant_type", "password")
                .formParam("client_id", "admin-cli").formParam("username", "kcadmin").formParam("password", "kcadmin")
                .post(KC + "/realms/master/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    /**
     * A password grant at Keycloak (public client kanmon-cli) from {@code from}: Keycloak records the TCP peer as the
     * login's address, and HTTP clients cannot pick their source address, so HTTP/1.1 over a bound socket.
     */
    private static int keycloakLogin(String from, String user) throws IOException {
        byte[] body = ("grant_type=password&client_id=kanmon-cli&username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password(user), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress("127.0.0.1", 18080), 5_000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /realms/kanmon/protocol/openid-connect/token HTTP/1.1\r\nHost: 127.0.0.1:18080\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                line.write(b);
            }
            return Integer.parseInt(line.toString(StandardCharsets.US_ASCII).split(" ")[1]);
        }
    }
}
