package dev.kanmon.console.web;

import dev.kanmon.console.backend.Backend;
import dev.kanmon.console.backend.Backend.Service;
import dev.kanmon.console.backend.BackendException;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The audit log, newest first, filtered by target, actor and action. */
@Path("/audit")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Page.OPERATOR, Page.ADMIN})
public class AuditPage {

    private final Template audit;
    private final Page page;
    private final Backend backend;

    AuditPage(Template audit, Page page, Backend backend) {
        this.audit = audit;
        this.page = page;
        this.backend = backend;
    }

    @GET
    public TemplateInstance get(@QueryParam("target") String target, @QueryParam("actor") String actor,
            @QueryParam("action") String action, @QueryParam("msg") String msg, @QueryParam("err") String err) {
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("target", target);
        filter.put("actor", actor);
        filter.put("action", action);
        TemplateInstance t = page.of(audit, "audit", msg, err).data("filter", filter);
        Map<String, Object> query = new LinkedHashMap<>(filter);
        query.put("limit", 200);
        try {
            return t.data("entries", backend.list(Service.QUEUE, "/api/v1/abuse/audit" + Backend.query(query)));
        } catch (BackendException e) {
            return t.data("entries", List.of()).data("err", e.getMessage());
        }
    }
}
