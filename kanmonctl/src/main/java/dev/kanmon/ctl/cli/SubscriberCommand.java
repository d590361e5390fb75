package dev.kanmon.ctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kanmon.ctl.api.CliException;
import dev.kanmon.ctl.api.Exit;
import dev.kanmon.ctl.api.Http;
import dev.kanmon.ctl.output.Column;
import dev.kanmon.ctl.output.Output;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Subscribers: limits and usage, plan, suspension and app passwords (auth-service, docs/throttling.md). */
@Command(name = "subscriber", description = "Show and act on a subscriber.")
final class SubscriberCommand extends Base {

    @Command(name = "show", description = "Plan, limits, usage, live sessions, suspension and abuse score.")
    int show(@Parameters(paramLabel = "USER") String user) {
        JsonNode quota = api().auth("GET", "/api/v1/quota/subscribers/" + path(user), null);
        JsonNode abuse;
        try {
            abuse = api().queue("GET", "/api/v1/abuse/subscribers/" + path(user), null);
        } catch (CliException e) {
            // Never scored, or the queue-service away: the subscriber's quota is still worth showing.
            if (e.exit() == Exit.UNREACHABLE) {
                cli().err().println("kanmonctl: abuse score not shown: " + e.getMessage());
            } else if (e.exit() != Exit.NOT_FOUND) {
                throw e;
            }
            abuse = null;
        }
        Output out = out();
        if (out.format() == Output.Format.json) {
            ObjectNode both = Http.JSON.createObjectNode();
            both.set("quota", quota);
            both.set("abuse", abuse);
            out.done(both, "");
            return 0;
        }
        Map<String, String> f = new LinkedHashMap<>();
        f.put("User", "username");
        f.put("Plan", "limits/plan");
        f.put("Suspended", "limits/suspended");
        f.put("Suspension reason", "limits/suspendedReason");
        f.put("Live sessions", "liveSessions");
        f.put("Messages/minute", "limits/messagesPerMinute");
        f.put("Messages/hour", "limits/messagesPerHour");
        f.put("Messages/day", "limits/messagesPerDay");
        f.put("Recipients/message", "limits/recipientsPerMessage");
        f.put("Recipients/day", "limits/recipientsPerDay");
        f.put("Concurrent sessions", "limits/concurrentSessions");
        out.fields(quota, f);
        out.heading("Usage");
        out.table(quota.path("usage"), List.of(Column.of("METRIC", "metric"), Column.of("WINDOW", "window"),
                Column.of("USED", "used")));
        if (abuse != null) {
            out.heading("Abuse automation");
            Map<String, String> a = new LinkedHashMap<>();
            a.put("Score", "score");
            a.put("Level", "level");
            a.put("Slowed down", "slowedDown");
            a.put("Held", "held");
            a.put("Held messages", "heldMessageCount");
            a.put("Signals", "signals");
            out.fields(abuse, a);
        }
        return 0;
    }

    @Command(name = "plan", description = "Put a subscriber on a plan (relay-admin); per-subscriber limits are reset.")
    int plan(@Parameters(paramLabel = "USER") String user, @Parameters(paramLabel = "PLAN") String plan) {
        JsonNode after = api().auth("PUT", "/api/v1/quota/subscribers/" + path(user), Map.of("plan", plan));
        out().done(after, user + " is now on plan " + after.path("limits").path("plan").asText());
        return 0;
    }

    @Command(name = "limits", description = "Set a subscriber's own limits (relay-admin); unset ones follow the plan.")
    int limits(@Parameters(paramLabel = "USER") String user,
            @Option(names = "--plan", description = "the plan (default: the default plan)") String plan,
            @Option(names = "--messages-per-minute") Integer perMinute,
            @Option(names = "--messages-per-hour") Integer perHour,
            @Option(names = "--messages-per-day") Integer perDay,
            @Option(names = "--recipients-per-message") Integer rcptPerMessage,
            @Option(names = "--recipients-per-day") Integer rcptPerDay,
            @Option(names = "--concurrent-sessions") Integer sessions) {
        ObjectNode body = Http.JSON.createObjectNode();
        body.put("plan", plan);
        body.put("messagesPerMinute", perMinute);
        body.put("messagesPerHour", perHour);
        body.put("messagesPerDay", perDay);
        body.put("recipientsPerMessage", rcptPerMessage);
        body.put("recipientsPerDay", rcptPerDay);
        body.put("concurrentSessions", sessions);
        JsonNode after = api().auth("PUT", "/api/v1/quota/subscribers/" + path(user), body);
        out().done(after, "Limits of " + user + " saved: " + after.path("limits"));
        return 0;
    }

    @Command(name = "suspend", description = "Refuse the subscriber's SMTP AUTH until unsuspended.")
    int suspend(@Parameters(paramLabel = "USER") String user,
            @Option(names = {"-r", "--reason"}, required = true, description = "why (kept with the suspension and in"
                    + " the audit log)")
            String reason) {
        JsonNode after = api().auth("PUT", "/api/v1/quota/subscribers/" + path(user) + "/suspension",
                Map.of("reason", reason));
        out().done(after, user + " suspended: " + reason);
        return 0;
    }

    @Command(name = "unsuspend", description = "Lift the subscriber's suspension.")
    int unsuspend(@Parameters(paramLabel = "USER") String user,
            @Option(names = {"-r", "--reason"}, required = true, description = "why (kept in the audit log)")
            String reason) {
        JsonNode after = api().auth("DELETE", "/api/v1/quota/subscribers/" + path(user) + "/suspension",
                Map.of("reason", reason));
        out().done(after, user + " unsuspended: " + reason);
        return 0;
    }

    @Command(name = "app-passwords", description = "List the subscriber's app passwords (never their secrets).")
    int appPasswords(@Parameters(paramLabel = "USER") String user) {
        out().table(api().auth("GET", "/api/v1/subscribers/" + path(user) + "/app-passwords", null),
                List.of(Column.of("ID", "id"), Column.of("LABEL", "label"), Column.of("CREATED", "createdAt"),
                        Column.of("LAST USED", "lastUsedAt")));
        return 0;
    }

    @Command(name = "revoke-app-password", description = "Revoke one of the subscriber's app passwords.")
    int revoke(@Parameters(paramLabel = "USER") String user, @Parameters(paramLabel = "ID") String id) {
        api().auth("DELETE", "/api/v1/subscribers/" + path(user) + "/app-passwords/" + path(id), null);
        out().done(null, "App password " + id + " of " + user + " revoked");
        return 0;
    }

    @Command(name = "top", description = "Top senders of the current window.")
    int top(@Option(names = "--metric", defaultValue = "messages", description = "messages, recipients or refused")
            String metric,
            @Option(names = "--window", defaultValue = "day", description = "minute, hour or day") String window,
            @Option(names = "--limit", defaultValue = "20") int limit) {
        out().table(api().auth("GET", "/api/v1/quota/top" + Http.query(Map.of("metric", metric, "window", window,
                        "limit", limit)), null),
                List.of(Column.of("USER", "username"), Column.of("METRIC", "metric"), Column.of("WINDOW", "window"),
                        Column.of("USED", "used")));
        return 0;
    }
}
