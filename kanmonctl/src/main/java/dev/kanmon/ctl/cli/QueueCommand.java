package dev.kanmon.ctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kanmon.ctl.api.Http;
import dev.kanmon.ctl.output.Column;
import dev.kanmon.ctl.output.Output;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The queue (queue-service, docs/queue.md): Kanmon's mailq and postsuper. */
@Command(name = "queue", description = "List, inspect and act on queued messages.")
final class QueueCommand extends Base {

    @Command(name = "list", description = "Messages, filtered by recipient state, sender, domain or user (mailq).")
    int list(@Option(names = "--state", description = "queued, delivering, deferred, held, delivered, bounced, ...")
            String state,
            @Option(names = "--sender", description = "envelope sender") String sender,
            @Option(names = "--domain", description = "a recipient's domain") String domain,
            @Option(names = "--user", description = "the authenticated user") String user,
            @Option(names = "--page", defaultValue = "0") int page,
            @Option(names = "--size", defaultValue = "50") int size) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("state", state);
        q.put("sender", sender);
        q.put("domain", domain);
        q.put("user", user);
        q.put("page", page);
        q.put("size", size);
        JsonNode result = api().queue("GET", "/api/v1/queue/messages" + Http.query(q), null);
        Output out = out();
        if (out.format() == Output.Format.json) {
            out.done(result, "");
            return 0;
        }
        out.table(result.path("messages"), List.of(Column.of("QUEUE ID", "queueId"), Column.of("USER", "authUser"),
                Column.of("SENDER", "sender"), Column.of("SIZE", "size"), Column.of("RECEIVED", "receivedAt"),
                new Column("RECIPIENTS", m -> StreamSupport.stream(m.path("recipients").spliterator(), false)
                        .map(r -> r.path("address").asText() + " (" + r.path("state").asText() + ")")
                        .collect(Collectors.joining(", ")))));
        cli().out().printf("%d of %d message(s), page %d%n", result.path("messages").size(),
                result.path("total").asLong(), page);
        return 0;
    }

    @Command(name = "show", description = "A message's envelope, recipients and every delivery attempt.")
    int show(@Parameters(paramLabel = "QUEUE-ID") String queueId) {
        JsonNode m = api().queue("GET", "/api/v1/queue/messages/" + path(queueId), null);
        Output out = out();
        Map<String, String> f = new LinkedHashMap<>();
        f.put("Queue id", "queueId");
        f.put("Sender", "sender");
        f.put("User", "authUser");
        f.put("Client", "clientIp");
        f.put("Received", "receivedAt");
        f.put("Size", "size");
        f.put("Envelope id", "envid");
        out.fields(m, f);
        if (out.format() == Output.Format.json) {
            return 0;
        }
        out.heading("Recipients");
        out.table(m.path("recipients"), List.of(Column.of("RECIPIENT", "address"), Column.of("STATE", "state"),
                Column.of("ATTEMPTS", "attempts"), Column.of("NEXT", "nextAttemptAt"),
                Column.of("CODE", "enhancedCode"), Column.of("DIAGNOSTIC", "diagnostic")));
        out.heading("Attempts");
        var attempts = Http.JSON.createArrayNode();
        for (JsonNode r : m.path("recipients")) {
            for (JsonNode a : r.path("history")) {
                attempts.add(((com.fasterxml.jackson.databind.node.ObjectNode) a.deepCopy()).put("recipient", r.path("address").asText()));
            }
        }
        out.table(attempts, List.of(Column.of("RECIPIENT", "recipient"), Column.of("#", "attempt"),
                Column.of("STATUS", "status"), Column.of("REPLY", "replyCode"), Column.of("CODE", "enhancedCode"),
                Column.of("MTA", "remoteMta"), Column.of("FINISHED", "finishedAt"),
                Column.of("DIAGNOSTIC", "diagnostic")));
        return 0;
    }

    @Command(name = "stats", description = "Recipients by state and the oldest pending message.")
    int stats() {
        JsonNode s = api().queue("GET", "/api/v1/queue/stats", null);
        Output out = out();
        if (out.format() == Output.Format.json) {
            out.done(s, "");
            return 0;
        }
        var rows = Http.JSON.createArrayNode();
        s.path("recipientsByState").fields().forEachRemaining(e -> rows.addObject().put("state", e.getKey())
                .put("recipients", e.getValue().asLong()));
        out.table(rows, List.of(Column.of("STATE", "state"), Column.of("RECIPIENTS", "recipients")));
        cli().out().printf("%d message(s) pending, oldest received %s%n", s.path("messages").asLong(),
                s.path("oldestPending").asText("-"));
        return 0;
    }

    @Command(name = "hold", description = "Hold the message's pending recipients (postsuper -h).")
    int hold(@Parameters(paramLabel = "QUEUE-ID") String queueId) {
        return act(queueId, "hold", "held");
    }

    @Command(name = "release", description = "Release held recipients for delivery now (postsuper -H).")
    int release(@Parameters(paramLabel = "QUEUE-ID") String queueId) {
        return act(queueId, "release", "released");
    }

    @Command(name = "retry", description = "Retry the deferred recipients now (postsuper -r).")
    int retry(@Parameters(paramLabel = "QUEUE-ID") String queueId) {
        return act(queueId, "retry", "due now");
    }

    @Command(name = "bounce", description = "Fail the pending recipients now; the sender gets a DSN.")
    int bounce(@Parameters(paramLabel = "QUEUE-ID") String queueId) {
        return act(queueId, "bounce", "bounced");
    }

    @Command(name = "delete", description = "Delete the message without notice (postsuper -d; relay-admin).")
    int delete(@Parameters(paramLabel = "QUEUE-ID") String queueId) {
        JsonNode r = api().queue("DELETE", "/api/v1/queue/messages/" + path(queueId), null);
        out().done(r, queueId + " deleted");
        return 0;
    }

    private int act(String queueId, String action, String verb) {
        JsonNode r = api().queue("POST", "/api/v1/queue/messages/" + path(queueId) + "/" + action, null);
        out().done(r, queueId + ": " + r.path("recipients").asInt() + " recipient(s) " + verb);
        return 0;
    }
}
