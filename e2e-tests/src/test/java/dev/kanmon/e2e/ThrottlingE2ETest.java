package dev.kanmon.e2e;

import static dev.kanmon.e2e.E2eStack.AUTH_API;
import static dev.kanmon.e2e.E2eStack.SUBMISSION;
import static dev.kanmon.e2e.E2eStack.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-user throttling (R7) as a subscriber's mail client sees it: the limits set through the operator API
 * answer 452/450/535 on the SMTP path, and hold across two submission replicas sharing the quota ledger.
 */
class ThrottlingE2ETest extends E2eBase {

    /** The second replica's submission port (the stack's replica listens on 2587). */
    private static final int SECOND_SUBMISSION = 3587;

    private SubmissionReplica secondReplica;

    /** Messages the user already sent today: limits are set relative to it so reruns on one stack work. */
    private static long usedToday(String user, String metric) {
        List<Map<String, Object>> usage = given().auth().oauth2(token("operator", "operator-secret"))
                .get(AUTH_API + "/api/v1/quota/subscribers/" + user).then().statusCode(200).extract().path("usage");
        return usage.stream()
                .filter(u -> metric.equals(u.get("metric")) && "day".equals(u.get("window")))
                .mapToLong(u -> ((Number) u.get("used")).longValue()).sum();
    }

    private static void setLimits(String user, String json) {
        given().auth().oauth2(token("admin", "admin-secret")).contentType(ContentType.JSON).body(json)
                .put(AUTH_API + "/api/v1/quota/subscribers/" + user).then().statusCode(200);
    }

    private static void resetLimits(String user) {
        setLimits(user, "{}"); // back to the stack's default plan
        given().auth().oauth2(token("operator", "operator-secret"))
                .delete(AUTH_API + "/api/v1/quota/subscribers/" + user + "/suspension").then().statusCode(200);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (secondReplica != null) {
            secondReplica.close();
        }
        resetLimits("carol");
        resetLimits("bob");
    }

    @Test
    void limitsFromTheOperatorApiAnswerOnTheSmtpPath() throws Exception {
        long used = usedToday("carol", "messages");
        setLimits("carol", "{\"messagesPerDay\":" + (used + 1) + ",\"recipientsPerMessage\":2}");

        try (SmtpClient c = tlsSession(SUBMISSION)) {
            assertThat(c.authPlain("carol", "carol-secret").code()).as(c.transcript()).isEqualTo(235);
            assertThat(c.send("MAIL FROM:<carol@example.test>").code()).as(c.transcript()).isEqualTo(250);
            assertThat(c.send("RCPT TO:<one@dest.test>").code()).as(c.transcript()).isEqualTo(250);
            assertThat(c.send("RCPT TO:<two@dest.test>").code()).as(c.transcript()).isEqualTo(250);
            Reply third = c.send("RCPT TO:<three@dest.test>");
            assertThat(third.code()).as(c.transcript()).isEqualTo(452);
            assertThat(third.enhanced()).as(c.transcript()).isEqualTo("4.5.3");
            assertThat(c.send("RSET").code()).as(c.transcript()).isEqualTo(250);

            Reply overDaily = c.send("MAIL FROM:<carol@example.test>");
            assertThat(overDaily.code()).as(c.transcript()).isEqualTo(450);
            assertThat(overDaily.enhanced()).as(c.transcript()).isEqualTo("4.7.1");
            assertThat(overDaily.text()).as(c.transcript()).contains("carol").contains("per day");
            // the session keeps working after a refusal
            assertThat(c.send("NOOP").code()).as(c.transcript()).isEqualTo(250);
        }

        given().auth().oauth2(token("operator", "operator-secret")).contentType(ContentType.JSON)
                .body("{\"reason\":\"e2e suspension\"}")
                .put(AUTH_API + "/api/v1/quota/subscribers/carol/suspension").then().statusCode(200);
        try (SmtpClient c = tlsSession(SUBMISSION)) {
            Reply auth = c.authPlain("carol", "carol-secret");
            assertThat(auth.code()).as(c.transcript()).isEqualTo(535);
            assertThat(auth.enhanced()).as(c.transcript()).isEqualTo("5.7.8");
            assertThat(auth.text()).as(c.transcript()).contains("suspended");
        }
    }

    @Test
    void aDailyLimitHoldsExactlyAcrossTwoSubmissionReplicas() throws Exception {
        secondReplica = SubmissionReplica.start("throttling", SECOND_SUBMISSION, 18091);
        int allowance = 10;
        int attempts = 24;
        long used = usedToday("bob", "messages");
        setLimits("bob", "{\"messagesPerMinute\":1000,\"messagesPerHour\":1000,\"messagesPerDay\":"
                + (used + allowance) + ",\"concurrentSessions\":100}");

        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<Integer>> codes = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                int port = i % 2 == 0 ? SUBMISSION : SECOND_SUBMISSION;
                codes.add(pool.submit(() -> {
                    try (SmtpClient c = tlsSession(port)) {
                        assertThat(c.authPlain("bob", "bob-secret").code()).as(c.transcript()).isEqualTo(235);
                        int code = c.send("MAIL FROM:<bob@example.test>").code();
                        c.send("QUIT");
                        return code;
                    }
                }));
            }
            int accepted = 0;
            int throttled = 0;
            for (Future<Integer> f : codes) {
                int code = f.get(120, TimeUnit.SECONDS);
                if (code == 250) {
                    accepted++;
                } else if (code == 450) {
                    throttled++;
                }
            }
            // the ledger serialises charges in PostgreSQL: the stated overshoot bound is 0
            assertThat(accepted).isEqualTo(allowance);
            assertThat(throttled).isEqualTo(attempts - allowance);
        } finally {
            pool.shutdownNow();
        }
    }
}
