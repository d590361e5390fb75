package dev.kanmon.ctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kanmon.ctl.api.Http;
import dev.kanmon.ctl.output.Column;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Throttling plans (auth-service). */
@Command(name = "plan", description = "List and change throttling plans.")
final class PlanCommand extends Base {

    @Command(name = "list", description = "The plans and their limits.")
    int list() {
        out().table(api().auth("GET", "/api/v1/quota/plans", null), List.of(Column.of("PLAN", "name"),
                Column.of("MSG/MIN", "messagesPerMinute"), Column.of("MSG/HOUR", "messagesPerHour"),
                Column.of("MSG/DAY", "messagesPerDay"), Column.of("RCPT/MSG", "recipientsPerMessage"),
                Column.of("RCPT/DAY", "recipientsPerDay"), Column.of("SESSIONS", "concurrentSessions")));
        return 0;
    }

    @Command(name = "set", description = "Create or replace a plan (relay-admin); every limit is required.")
    int set(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--messages-per-minute", required = true) int perMinute,
            @Option(names = "--messages-per-hour", required = true) int perHour,
            @Option(names = "--messages-per-day", required = true) int perDay,
            @Option(names = "--recipients-per-message", required = true) int rcptPerMessage,
            @Option(names = "--recipients-per-day", required = true) int rcptPerDay,
            @Option(names = "--concurrent-sessions", required = true) int sessions) {
        ObjectNode body = Http.JSON.createObjectNode().put("name", name).put("messagesPerMinute", perMinute)
                .put("messagesPerHour", perHour).put("messagesPerDay", perDay)
                .put("recipientsPerMessage", rcptPerMessage).put("recipientsPerDay", rcptPerDay)
                .put("concurrentSessions", sessions);
        JsonNode saved = api().auth("PUT", "/api/v1/quota/plans/" + path(name), body);
        out().done(saved, "Plan " + name + " saved");
        return 0;
    }
}
