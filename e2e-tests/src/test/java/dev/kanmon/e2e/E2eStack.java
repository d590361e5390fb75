package dev.kanmon.e2e;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the running local stack is (docs/architecture.md, "Local stack"): ports, the state dir
 * with the local CA and the sink's dump directory. The stack is started by
 * {@code bin/kanmon-stack start}; these tests never start or stop anything.
 */
public final class E2eStack {

    public static final String HOST = "127.0.0.1";
    /** Submission with STARTTLS (587 in production). */
    public static final int SUBMISSION = 2587;
    /** Submission with implicit TLS (465 in production). */
    public static final int SUBMISSIONS = 2465;
    /** MTA port (25 in production): relay only from trusted networks. */
    public static final int MTA = 2525;

    /** 127.0.0.1 is the trusted network of the local profile. */
    public static final String TRUSTED_SOURCE = "127.0.0.1";
    /** Not trusted and listed in no test DNSBL zone (bin/stack/rbldnsd): plain relay refusal. */
    public static final String UNTRUSTED_SOURCE = "127.0.0.3";
    /** Not trusted and listed in bl.test (RFC 5782 test address). */
    public static final String LISTED_SOURCE = "127.0.0.2";

    public static final String ALICE = "alice";
    public static final String ALICE_PASSWORD = "alice-secret";
    public static final String ALICE_ADDRESS = "alice@example.test";
    public static final String ALICE_ALIAS = "a.test@example.test";
    public static final String BOB_ADDRESS = "bob@dest.test";

    /** auth-service: quota and app-password APIs. */
    public static final String AUTH_API = "http://127.0.0.1:18082";
    /** queue-service: the operators' queue API. */
    public static final String QUEUE_API = "http://127.0.0.1:18083/api/v1/queue";
    private static final String TOKEN_URL = "http://127.0.0.1:18080/realms/kanmon/protocol/openid-connect/token";

    private E2eStack() {
    }

    /** A Keycloak access token (audience {@code kanmon}) for a realm user, from the public client kanmon-cli. */
    public static String token(String user, String password) {
        return given().contentType(ContentType.URLENC)
                .formParam("grant_type", "password").formParam("client_id", "kanmon-cli")
                .formParam("username", user).formParam("password", password)
                .post(TOKEN_URL).then().statusCode(200).extract().path("access_token");
    }

    /** The repository root: -Dkanmon.root, else the nearest parent holding bin/kanmon-stack. */
    public static Path root() {
        String prop = System.getProperty("kanmon.root");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("bin/kanmon-stack"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find the repository root (bin/kanmon-stack); set -Dkanmon.root");
    }

    /** The state dir: env KANMON_STACK, else {@code <root>/.local-stack}. */
    public static Path state() {
        String env = System.getenv("KANMON_STACK");
        return env != null && !env.isBlank() ? Path.of(env) : root().resolve(".local-stack");
    }

    public static Path caCert() {
        return state().resolve("tls/ca.crt");
    }

    public static Path sinkDir() {
        return state().resolve("sink/mail");
    }

    public static Path workDir() throws java.io.IOException {
        Path dir = state().resolve("e2e");
        Files.createDirectories(dir);
        return dir;
    }

    public static boolean listening(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Fails with a helpful message when the stack is not up. */
    public static void requireRunning() {
        if (!Files.isRegularFile(caCert())) {
            throw new IllegalStateException("no local CA at " + caCert() + ": run bin/kanmon-stack start");
        }
        for (int port : new int[] {SUBMISSION, SUBMISSIONS, MTA}) {
            if (!listening(HOST, port)) {
                throw new IllegalStateException("nothing listens on " + HOST + ":" + port
                        + ": the submission-service is not running (bin/kanmon-stack start)");
            }
        }
    }
}
