package dev.kanmon.ctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.kanmon.ctl.api.Http;
import dev.kanmon.ctl.output.Column;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The audit log of operator and automatic actions, newest first (auth-, queue- and dnsbl-service together). */
@Command(name = "audit", description = "Who did what to which subscriber or message, why, before and after.")
final class AuditCommand extends Base implements Callable<Integer> {

    @Option(names = "--target", description = "a user name, queue id or list and network ('deny 198.51.100.0/24')")
    String target;

    @Option(names = "--target-kind", description = "subscriber or message")
    String targetKind;

    @Option(names = "--actor", description = "an operator's name, or abuse-automation")
    String actor;

    @Option(names = "--action", description = "e.g. subscriber.suspend, ban.lift, queue.hold, dnsbl.add, HOLD_RELEASED")
    String action;

    @Option(names = "--since", description = "an ISO-8601 instant, e.g. 2026-12-03T00:00:00Z")
    String since;

    @Option(names = "--limit", defaultValue = "50")
    int limit;

    @Override
    public Integer call() {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("target-kind", targetKind);
        q.put("target", target);
        q.put("actor", actor);
        q.put("action", action);
        q.put("since", since);
        q.put("limit", limit);
        String query = Http.query(q);
        // Three parts of one log: the auth-service's (subscribers, plans, bans), the queue-service's (queue,
        // abuse automation) and the dnsbl-service's (local lists), newest first together.
        List<JsonNode> entries = new ArrayList<>();
        api().auth("GET", "/api/v1/audit" + query, null).forEach(entries::add);
        api().queue("GET", "/api/v1/abuse/audit" + query, null).forEach(entries::add);
        api().dnsbl("GET", "/api/v1/audit" + query, null).forEach(entries::add);
        entries.sort(Comparator.comparing((JsonNode e) -> Instant.parse(e.path("at").asText())).reversed());
        ArrayNode merged = Http.JSON.createArrayNode();
        entries.stream().limit(limit).forEach(merged::add);
        out().table(merged, List.of(Column.of("AT", "at"),
                Column.of("ACTOR", "actor"), Column.of("ACTION", "action"), Column.of("KIND", "targetKind"),
                Column.of("TARGET", "target"), Column.of("REASON", "reason"), Column.of("BEFORE", "before"),
                Column.of("AFTER", "after")));
        return 0;
    }
}
