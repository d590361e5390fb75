package dev.kanmon.console.web;

import dev.kanmon.console.backend.AuditLog;
import dev.kanmon.console.backend.Backend;
import dev.kanmon.console.backend.Backend.Service;
import dev.kanmon.console.backend.BackendException;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** A subscriber: limits, usage, live sessions, abuse score, app passwords, recent audit; suspend, plan, revoke. */
@Path("/subscribers")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Page.OPERATOR, Page.ADMIN})
public class SubscriberPage {

    private final Template subscriber;
    private final Page page;
    private final Backend backend;
    private final AuditLog audit;

    SubscriberPage(Template subscriber, Page page, Backend backend, AuditLog audit) {
        this.subscriber = subscriber;
        this.page = page;
        this.backend = backend;
        this.audit = audit;
    }

    @GET
    public TemplateInstance get(@QueryParam("user") String user, @QueryParam("msg") String msg,
            @QueryParam("err") String err) {
        TemplateInstance t = page.of(subscriber, "subscribers", msg, err).data("user_", user);
        if (user == null || user.isBlank()) {
            return t.data("quota", null);
        }
        String name = user.strip();
        String u = Backend.enc(name);
        try {
            Map<String, Object> quota = backend.object(Service.AUTH, "GET", "/api/v1/quota/subscribers/" + u, null);
            Object abuse;
            try {
                abuse = backend.object(Service.QUEUE, "GET", "/api/v1/abuse/subscribers/" + u, null);
            } catch (BackendException e) {
                abuse = null;
            }
            return t.data("user_", name).data("quota", quota).data("abuse", abuse)
                    .data("appPasswords", backend.list(Service.AUTH, "/api/v1/subscribers/" + u + "/app-passwords"))
                    .data("plans", backend.list(Service.AUTH, "/api/v1/quota/plans"))
                    .data("audit", audit.entries(Map.of("target", name), 20));
        } catch (BackendException e) {
            return t.data("quota", null).data("err", e.getMessage());
        }
    }

    @POST
    @Path("{user}/suspend")
    public Response suspend(@PathParam("user") String user, @FormParam("reason") String reason) {
        return Page.act(back(user), () -> {
            if (reason == null || reason.isBlank()) {
                throw new BackendException(400, "a reason is required to suspend");
            }
            backend.call(Service.AUTH, "PUT", "/api/v1/quota/subscribers/" + Backend.enc(user) + "/suspension",
                    Map.of("reason", reason.strip()));
            return user + " suspended: " + reason.strip();
        });
    }

    @POST
    @Path("{user}/unsuspend")
    public Response unsuspend(@PathParam("user") String user, @FormParam("reason") String reason) {
        return Page.act(back(user), () -> {
            if (reason == null || reason.isBlank()) {
                throw new BackendException(400, "a reason is required to unsuspend");
            }
            backend.call(Service.AUTH, "DELETE", "/api/v1/quota/subscribers/" + Backend.enc(user) + "/suspension",
                    Map.of("reason", reason.strip()));
            return user + " unsuspended: " + reason.strip();
        });
    }

    @POST
    @Path("{user}/plan")
    public Response plan(@PathParam("user") String user, @FormParam("plan") String plan) {
        return Page.act(back(user), () -> {
            backend.call(Service.AUTH, "PUT", "/api/v1/quota/subscribers/" + Backend.enc(user), Map.of("plan", plan));
            return user + " is now on plan " + plan;
        });
    }

    @POST
    @Path("{user}/app-passwords/{id}/revoke")
    public Response revoke(@PathParam("user") String user, @PathParam("id") String id) {
        return Page.act(back(user), () -> {
            backend.call(Service.AUTH, "DELETE", "/api/v1/subscribers/" + Backend.enc(user) + "/app-passwords/"
                    + Backend.enc(id), null);
            return "app password " + id + " revoked";
        });
    }

    private static String back(String user) {
        return "/subscribers?user=" + Backend.enc(user);
    }
}
