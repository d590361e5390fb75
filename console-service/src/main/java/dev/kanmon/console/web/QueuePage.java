package dev.kanmon.console.web;

import dev.kanmon.console.backend.AuditLog;
import dev.kanmon.console.backend.Backend;
import dev.kanmon.console.backend.Backend.Service;
import dev.kanmon.console.backend.BackendException;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/** The queue: search by state, sender, domain and user; a message's recipients and attempts; the postsuper actions. */
@Path("/queue")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Page.OPERATOR, Page.ADMIN})
public class QueuePage {

    private static final List<String> ACTIONS = List.of("hold", "release", "retry", "bounce");
    private static final List<String> STATES = List.of("queued", "delivering", "deferred", "held", "delivered",
            "bounced", "expired");

    private final Template queue;
    private final Template message;
    private final Page page;
    private final Backend backend;
    private final AuditLog audit;

    QueuePage(Template queue, Template message, Page page, Backend backend, AuditLog audit) {
        this.queue = queue;
        this.message = message;
        this.page = page;
        this.backend = backend;
        this.audit = audit;
    }

    @GET
    public TemplateInstance list(@QueryParam("state") String state, @QueryParam("sender") String sender,
            @QueryParam("domain") String domain, @QueryParam("user") String user,
            @QueryParam("page") @DefaultValue("0") int pageNo, @QueryParam("msg") String msg,
            @QueryParam("err") String err) {
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("state", state);
        filter.put("sender", sender);
        filter.put("domain", domain);
        filter.put("user", user);
        TemplateInstance t = page.of(queue, "queue", msg, err).data("filter", filter).data("pageNo", pageNo)
                .data("states", STATES).data("actions", ACTIONS);
        Map<String, Object> query = new LinkedHashMap<>(filter);
        query.put("page", pageNo);
        query.put("size", 50);
        try {
            return t.data("result", backend.object(Service.QUEUE, "GET", "/api/v1/queue/messages"
                    + Backend.query(query), null));
        } catch (BackendException e) {
            return t.data("result", Map.of()).data("err", e.getMessage());
        }
    }

    @GET
    @Path("{queueId}")
    public TemplateInstance show(@PathParam("queueId") String queueId, @QueryParam("msg") String msg,
            @QueryParam("err") String err) {
        TemplateInstance t = page.of(message, "queue", msg, err).data("queueId", queueId).data("actions", ACTIONS);
        try {
            return t.data("m", backend.object(Service.QUEUE, "GET", "/api/v1/queue/messages/" + Backend.enc(queueId),
                            null))
                    .data("audit", audit.entries(Map.of("target", queueId), 20));
        } catch (BackendException e) {
            return t.data("m", null).data("audit", List.of()).data("err", e.getMessage());
        }
    }

    @POST
    @Path("{queueId}/{action}")
    public Response act(@PathParam("queueId") String queueId, @PathParam("action") String action,
            @FormParam("back") String back) {
        String to = "delete".equals(action) ? "/queue"
                : back != null && back.startsWith("/queue") ? back : "/queue/" + Backend.enc(queueId);
        return Page.act(to, () -> {
            if ("delete".equals(action)) {
                backend.call(Service.QUEUE, "DELETE", "/api/v1/queue/messages/" + Backend.enc(queueId), null);
                return queueId + " deleted";
            }
            if (!ACTIONS.contains(action)) {
                throw new BackendException(400, "unknown action " + action);
            }
            Object r = backend.call(Service.QUEUE, "POST", "/api/v1/queue/messages/" + Backend.enc(queueId) + "/"
                    + action, null);
            Object n = r instanceof Map<?, ?> m ? m.get("recipients") : "?";
            return queueId + ": " + action + " (" + n + " recipient(s))";
        });
    }
}
