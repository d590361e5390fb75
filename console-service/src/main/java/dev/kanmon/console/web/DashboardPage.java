package dev.kanmon.console.web;

import dev.kanmon.console.backend.Backend;
import dev.kanmon.console.backend.Backend.Service;
import dev.kanmon.console.backend.BackendException;
import dev.kanmon.console.metrics.Chart;
import dev.kanmon.console.metrics.QueueHistory;
import dev.kanmon.console.metrics.Sample;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The abuse desk's first look: messages per minute and queue depth over time, deferrals by destination, top senders,
 * current holds and suspensions.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Page.OPERATOR, Page.ADMIN})
public class DashboardPage {

    private final Template dashboard;
    private final Page page;
    private final Backend backend;
    private final QueueHistory history;

    DashboardPage(Template dashboard, Page page, Backend backend, QueueHistory history) {
        this.dashboard = dashboard;
        this.page = page;
        this.backend = backend;
        this.history = history;
    }

    @GET
    public TemplateInstance get(@QueryParam("msg") String msg, @QueryParam("err") String err) {
        List<Sample> samples = history.samples();
        List<String> charts = List.of(
                Chart.ratePerMinute("chart-messages", "Messages accepted per minute", samples, Sample::intaken),
                Chart.ratePerMinute("chart-delivered", "Recipients delivered per minute", samples, Sample::delivered),
                Chart.gauge("chart-depth", "Queue depth (recipients pending)", samples, Sample::depth),
                Chart.ratePerMinute("chart-deferred", "Deferrals per minute", samples, Sample::deferred));
        List<String> problems = new ArrayList<>();
        Map<String, Object> stats = safe(problems, () -> backend.object(Service.QUEUE, "GET", "/api/v1/queue/stats",
                null), Map.of());
        Object deferred = safe(problems, () -> backend.object(Service.QUEUE, "GET",
                "/api/v1/queue/messages?state=deferred&size=1000", null).get("messages"), List.of());
        Object held = safe(problems, () -> backend.object(Service.QUEUE, "GET",
                "/api/v1/queue/messages?state=held&size=50", null).get("messages"), List.of());
        List<Object> top = safe(problems, () -> backend.list(Service.AUTH, "/api/v1/quota/top?window=hour&limit=10"),
                List.of());
        List<Object> suspensions = safe(problems, () -> backend.list(Service.AUTH, "/api/v1/quota/suspensions?limit=20"),
                List.of());
        return page.of(dashboard, "dashboard", msg, problems.isEmpty() ? err : String.join("; ", problems))
                .data("charts", charts)
                .data("stats", stats)
                .data("deferralsByDomain", byDomain(deferred))
                .data("held", held)
                .data("top", top)
                .data("suspensions", suspensions);
    }

    /** Deferred recipients counted by their domain, most first. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> byDomain(Object messages) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (messages instanceof List<?> list) {
            for (Object m : list) {
                for (Object r : (List<Object>) ((Map<String, Object>) m).getOrDefault("recipients", List.of())) {
                    Map<String, Object> rcpt = (Map<String, Object>) r;
                    String address = String.valueOf(rcpt.get("address"));
                    if ("deferred".equals(rcpt.get("state"))) {
                        counts.merge(address.substring(address.indexOf('@') + 1).toLowerCase(Locale.ROOT), 1,
                                Integer::sum);
                    }
                }
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .limit(10).forEach(e -> out.add(Map.of("domain", e.getKey(), "count", e.getValue())));
        return out;
    }

    /** A part of the dashboard that fails shows as a problem, not as an error page. */
    private static <T> T safe(List<String> problems, java.util.function.Supplier<T> part, T otherwise) {
        try {
            T value = part.get();
            return value == null ? otherwise : value;
        } catch (BackendException e) {
            problems.add(e.getMessage());
            return otherwise;
        }
    }
}
