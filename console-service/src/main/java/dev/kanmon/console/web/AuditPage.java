package dev.kanmon.console.web;

import dev.kanmon.console.backend.AuditLog;
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

    private final Template template;
    private final Page page;
    private final AuditLog audit;

    AuditPage(@io.quarkus.qute.Location("audit") Template template, Page page, AuditLog audit) {
        this.template = template;
        this.page = page;
        this.audit = audit;
    }

    @GET
    public TemplateInstance get(@QueryParam("target") String target, @QueryParam("actor") String actor,
            @QueryParam("action") String action, @QueryParam("msg") String msg, @QueryParam("err") String err) {
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("target", target);
        filter.put("actor", actor);
        filter.put("action", action);
        TemplateInstance t = page.of(template, "audit", msg, err).data("filter", filter);
        try {
            return t.data("entries", audit.entries(filter, 200));
        } catch (BackendException e) {
            return t.data("entries", List.of()).data("err", e.getMessage());
        }
    }
}
