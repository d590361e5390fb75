package dev.kanmon.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Waits until every accepted message is in the sink and reports the books: sent, accepted, delivered,
 * missing, duplicates. Messages still missing after {@code retryAfter} are nudged with the operator API's
 * "retry now" (a recipient deferred by a failure would otherwise wait out the 5-minute first back-off); the
 * number of recipients that needed it is part of the report, not hidden.
 */
final class DeliveryAudit {

    record Result(SinkIndex.Check check, int retriedRecipients, Duration waited) {
    }

    private DeliveryAudit() {
    }

    static Result awaitDelivered(SinkIndex sink, List<LoadGenerator.Attempt> accepted, Duration max, Duration retryAfter)
            throws InterruptedException {
        Map<String, String> queueIds = new HashMap<>();
        accepted.forEach(a -> queueIds.put(a.token(), a.queueId()));
        List<String> tokens = accepted.stream().map(LoadGenerator.Attempt::token).toList();
        QueueOperator operator = new QueueOperator();
        Instant start = Instant.now();
        Instant lastRetry = Instant.EPOCH;
        int retried = 0;
        SinkIndex.Check check = sink.check(tokens);
        while (!check.complete() && Duration.between(start, Instant.now()).compareTo(max) < 0) {
            Thread.sleep(2000);
            check = sink.check(tokens);
            Duration waited = Duration.between(start, Instant.now());
            if (!check.complete() && waited.compareTo(retryAfter) > 0
                    && Duration.between(lastRetry, Instant.now()).toSeconds() >= 30) {
                lastRetry = Instant.now();
                int n = 0;
                for (String t : check.missing().subList(0, Math.min(500, check.missing().size()))) {
                    n += Math.max(0, operator.retryNow(queueIds.get(t)));
                }
                retried += n;
                log("  after " + waited.toSeconds() + " s: " + check.missing().size() + " missing, 'retry now' made "
                        + n + " deferred recipient(s) due");
            }
        }
        return new Result(check, retried, Duration.between(start, Instant.now()));
    }

    /** States of (up to 10) missing messages in the queue, for the failure message. */
    static String describeMissing(SinkIndex.Check check, List<LoadGenerator.Attempt> accepted) {
        Map<String, LoadGenerator.Attempt> byToken = new HashMap<>();
        accepted.forEach(a -> byToken.put(a.token(), a));
        QueueOperator operator = new QueueOperator();
        List<String> lines = new ArrayList<>();
        for (String t : check.missing().subList(0, Math.min(10, check.missing().size()))) {
            LoadGenerator.Attempt a = byToken.get(t);
            lines.add(t + " queueId=" + a.queueId() + " port=" + a.port() + " accepted=" + a.finished() + " rcpt="
                    + a.recipient() + "\n    " + operator.detail(a.queueId()));
        }
        return String.join("\n", lines);
    }

    /** The first ten entries of a token map and how many there are, for a readable report. */
    static String sample(Map<String, Integer> tokens) {
        return tokens.size() + " message(s), e.g. " + tokens.entrySet().stream().limit(10)
                .map(e -> e.getKey() + " x" + e.getValue()).toList();
    }

    static void log(String line) {
        System.out.println(line);
        try {
            Files.writeString(E2eStack.workDir().resolve("scale-reliability-report.txt"), line + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // the console copy is enough
        }
    }
}
