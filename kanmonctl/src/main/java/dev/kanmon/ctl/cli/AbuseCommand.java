package dev.kanmon.ctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kanmon.ctl.api.Http;
import dev.kanmon.ctl.output.Column;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The abuse automation's subscribers and undoing its steps (queue-service, docs/abuse.md). */
@Command(name = "abuse", description = "Subscribers the abuse automation scored, and undoing its measures.")
final class AbuseCommand extends Base {

    @Command(name = "list", description = "Subscribers with a score or a measure in force, highest first.")
    int list(@Option(names = "--min-score", defaultValue = "1") int minScore,
            @Option(names = "--limit", defaultValue = "100") int limit) {
        out().table(api().queue("GET", "/api/v1/abuse/subscribers" + Http.query(Map.of("min-score", minScore,
                        "limit", limit)), null),
                List.of(Column.of("USER", "username"), Column.of("SCORE", "score"), Column.of("LEVEL", "level"),
                        Column.of("SLOWED", "slowedDown"), Column.of("HELD", "held"),
                        Column.of("HELD MSGS", "heldMessageCount"), Column.of("SUSPENDED", "suspended")));
        return 0;
    }

    @Command(name = "lift", description = "Undo a measure: slow-down, suspension, or the hold (release or reject).")
    int lift(@Parameters(paramLabel = "USER") String user,
            @Parameters(paramLabel = "MEASURE", description = "slow-down, suspension, release-hold, bounce-hold"
                    + " or drop-hold") String measure,
            @Option(names = {"-r", "--reason"}, required = true, description = "why (kept in the audit log)")
            String reason) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("reason", reason);
        String base = "/api/v1/abuse/subscribers/" + path(user);
        JsonNode entry = switch (measure) {
            case "slow-down" -> api().queue("DELETE", base + "/slow-down", body);
            case "suspension" -> api().queue("DELETE", base + "/suspension", body);
            case "release-hold" -> api().queue("POST", base + "/hold/release", body);
            case "bounce-hold" -> api().queue("POST", base + "/hold/reject?mode=bounce", body);
            case "drop-hold" -> api().queue("POST", base + "/hold/reject?mode=drop", body);
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "MEASURE must be slow-down, suspension, release-hold, bounce-hold or drop-hold");
        };
        out().done(entry, entry.path("action").asText() + " " + user + ": " + entry.path("reason").asText());
        return 0;
    }
}
