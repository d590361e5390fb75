package dev.kanmon.e2e;

import static dev.kanmon.e2e.E2eStack.QUEUE_API;
import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;

/**
 * The queue-service's operator API (docs/queue.md, "Operator API") as role {@code relay-operator}: the state of
 * a message and "retry now" ({@code postsuper -r}) for recipients that a failure left {@code deferred}, whose
 * next attempt would otherwise be minutes away (first back-off 5 min).
 */
final class QueueOperator {

    private String token;
    private Instant tokenTime = Instant.EPOCH;

    private String token() {
        if (token == null || Duration.between(tokenTime, Instant.now()).toSeconds() > 200) {
            token = E2eStack.token("operator", "operator-secret");
            tokenTime = Instant.now();
        }
        return token;
    }

    /** The message's detail JSON (envelope, recipients with state, attempts), or the HTTP status when not 200. */
    String detail(String queueId) {
        try {
            Response r = given().auth().oauth2(token()).get(QUEUE_API + "/messages/" + queueId);
            return r.statusCode() == 200 ? r.asString() : "HTTP " + r.statusCode();
        } catch (RuntimeException e) {
            return "unavailable: " + e.getMessage();
        }
    }

    /** "Retry now"; returns the number of recipients made due (0 when none was deferred), -1 on an error. */
    int retryNow(String queueId) {
        try {
            Response r = given().auth().oauth2(token()).post(QUEUE_API + "/messages/" + queueId + "/retry");
            if (r.statusCode() != 200) {
                return -1;
            }
            Integer n = r.path("recipients");
            return n == null ? 0 : n;
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
