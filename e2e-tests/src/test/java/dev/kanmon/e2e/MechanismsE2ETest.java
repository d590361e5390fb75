package dev.kanmon.e2e;

import static dev.kanmon.e2e.E2eStack.ALICE;
import static dev.kanmon.e2e.E2eStack.ALICE_ADDRESS;
import static dev.kanmon.e2e.E2eStack.ALICE_PASSWORD;
import static dev.kanmon.e2e.E2eStack.AUTH_API;
import static dev.kanmon.e2e.E2eStack.BOB_ADDRESS;
import static dev.kanmon.e2e.E2eStack.HOST;
import static dev.kanmon.e2e.E2eStack.SUBMISSION;
import static dev.kanmon.e2e.E2eStack.SUBMISSIONS;
import static dev.kanmon.e2e.E2eStack.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.ongres.scram.client.ScramClient;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every SASL mechanism (R2) with a client nobody here wrote: swaks and Python's smtplib for CRAM-MD5, the
 * SCRAM client of PostgreSQL's JDBC driver (com.ongres.scram) for SCRAM-SHA-256, curl for OAUTHBEARER and
 * smtplib for XOAUTH2 with a Keycloak access token (curl 7.88 picks OAUTHBEARER whenever it is offered).
 * CRAM-MD5 and SCRAM need an SMTP app password (Keycloak keeps only password hashes), created here through the
 * self-service API and revoked at the end.
 */
class MechanismsE2ETest extends E2eBase {

    private static String appPasswordId;
    private static String appPassword;

    @BeforeAll
    static void createAppPassword() {
        var created = given().auth().oauth2(token(ALICE, ALICE_PASSWORD)).contentType(ContentType.JSON)
                .body("{\"label\":\"e2e mechanisms\"}")
                .post(AUTH_API + "/api/v1/app-passwords").then().statusCode(201).extract();
        appPasswordId = created.path("id");
        appPassword = created.path("password");
        assertThat(appPassword).matches("[a-z0-9]{4}(-[a-z0-9]{4}){3}");
    }

    @AfterAll
    static void revokeAppPassword() {
        if (appPasswordId != null) {
            given().auth().oauth2(token(ALICE, ALICE_PASSWORD))
                    .delete(AUTH_API + "/api/v1/app-passwords/" + appPasswordId)
                    .then().statusCode(204);
        }
    }

    @Test
    void swaksCramMd5WithAnAppPassword() throws Exception {
        TestMessage m = new TestMessage("swaks-cram-md5", ALICE_ADDRESS, BOB_ADDRESS);
        Proc.Result r = swaks(SUBMISSION, "starttls", "CRAM-MD5", ALICE, appPassword, ALICE_ADDRESS, BOB_ADDRESS,
                m.writeCrlf(E2eStack.workDir()), null);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("235 2.7.0");
        Sink.assertDeliveredIntact(m, ALICE_ADDRESS, BOB_ADDRESS);
    }

    @Test
    void smtplibCramMd5WithAnAppPassword() throws Exception {
        TestMessage m = new TestMessage("smtplib-cram-md5", ALICE_ADDRESS, BOB_ADDRESS);
        Proc.Result r = smtplib("ssl", SUBMISSIONS, "CRAM-MD5", ALICE, appPassword, ALICE_ADDRESS, BOB_ADDRESS,
                m.writeCrlf(E2eStack.workDir()));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("S: 235");
        Sink.assertDeliveredIntact(m, ALICE_ADDRESS, BOB_ADDRESS);
    }

    @Test
    void swaksPlainWithAnAppPassword() throws Exception {
        TestMessage m = new TestMessage("swaks-plain-app", ALICE_ADDRESS, BOB_ADDRESS);
        Proc.Result r = swaks(SUBMISSION, "starttls", "PLAIN", ALICE, appPassword, ALICE_ADDRESS, BOB_ADDRESS,
                m.writeCrlf(E2eStack.workDir()), null);
        assertThat(r.exitCode()).as(r.output()).isZero();
        Sink.assertDeliveredIntact(m, ALICE_ADDRESS, BOB_ADDRESS);
    }

    @Test
    void scramSha256WithAnAppPasswordVerifiesTheServer() throws Exception {
        ScramClient scram = ScramClient.builder()
                .advertisedMechanisms(List.of("SCRAM-SHA-256"))
                .username(ALICE)
                .password(appPassword.toCharArray())
                .build();
        TestMessage m = new TestMessage("scram", ALICE_ADDRESS, BOB_ADDRESS);
        try (SmtpClient c = SmtpClient.connect(HOST, SUBMISSION)) {
            c.read();
            c.send("EHLO " + HELO);
            assertThat(c.startTls().code()).as(c.transcript()).isEqualTo(220);
            assertThat(c.send("EHLO " + HELO).lines()).as(c.transcript()).anyMatch(l -> l.contains("SCRAM-SHA-256"));
            Reply serverFirst = c.send("AUTH SCRAM-SHA-256 " + b64(scram.clientFirstMessage().toString()));
            assertThat(serverFirst.code()).as(c.transcript()).isEqualTo(334);
            scram.serverFirstMessage(unb64(serverFirst.text()));
            Reply serverFinal = c.send(b64(scram.clientFinalMessage().toString()));
            assertThat(serverFinal.code()).as(c.transcript()).isEqualTo(334);
            // Throws unless the server proved it knows the verifier (mutual authentication).
            scram.serverFinalMessage(unb64(serverFinal.text()));
            assertThat(c.send("").code()).as(c.transcript()).isEqualTo(235);
            assertThat(c.send("MAIL FROM:<" + ALICE_ADDRESS + ">").code()).as(c.transcript()).isEqualTo(250);
            assertThat(c.send("RCPT TO:<" + BOB_ADDRESS + ">").code()).as(c.transcript()).isEqualTo(250);
            assertThat(c.data(m.dotStuffedCrlf()).code()).as(c.transcript()).isEqualTo(250);
        }
        Sink.assertDeliveredIntact(m, ALICE_ADDRESS, BOB_ADDRESS);
    }

    @Test
    void smtplibXoauth2WithAKeycloakToken() throws Exception {
        TestMessage m = new TestMessage("smtplib-xoauth2", ALICE_ADDRESS, BOB_ADDRESS);
        Proc.Result r = smtplib("starttls", SUBMISSION, "XOAUTH2", ALICE, token(ALICE, ALICE_PASSWORD), ALICE_ADDRESS,
                BOB_ADDRESS, m.writeCrlf(E2eStack.workDir()));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("S: 235");
        Sink.assertDeliveredIntact(m, ALICE_ADDRESS, BOB_ADDRESS);
    }

    @Test
    void curlOauthbearerWithAKeycloakToken() throws Exception {
        TestMessage m = new TestMessage("curl-oauthbearer", ALICE_ADDRESS, BOB_ADDRESS);
        Proc.Result r = curlBearer("smtps", SUBMISSIONS, "OAUTHBEARER", token(ALICE, ALICE_PASSWORD), m);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("AUTH OAUTHBEARER").contains("< 235");
        Sink.assertDeliveredIntact(m, ALICE_ADDRESS, BOB_ADDRESS);
    }

    @Test
    void aForgedTokenIsRefused() throws Exception {
        String real = token(ALICE, ALICE_PASSWORD);
        String forged = real.substring(0, real.lastIndexOf('.') + 1) + "AAAA" + real.substring(real.lastIndexOf('.') + 5);
        TestMessage m = new TestMessage("curl-forged", ALICE_ADDRESS, BOB_ADDRESS);
        Proc.Result r = curlBearer("smtp", SUBMISSION, "OAUTHBEARER", forged, m);
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertThat(r.output()).containsPattern("< 535 5\\.7\\.8");
        assertThat(Sink.count(m.token)).isZero();
    }

    /** curl's own SASL implementation of OAUTHBEARER. */
    private static Proc.Result curlBearer(String scheme, int port, String mechanism, String bearer, TestMessage m)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-v", "--max-time", "60",
                "--url", scheme + "://" + HOST + ":" + port + "/" + HELO,
                "--cacert", E2eStack.caCert().toString(),
                "--mail-from", ALICE_ADDRESS, "--mail-rcpt", BOB_ADDRESS,
                "--upload-file", m.writeCrlf(E2eStack.workDir()).toString(),
                "--user", ALICE, "--oauth2-bearer", bearer, "--login-options", "AUTH=" + mechanism));
        if (scheme.equals("smtp")) {
            cmd.add("--ssl-reqd");
        }
        return Proc.run(cmd, null, 90);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s.strip()), StandardCharsets.UTF_8);
    }
}
