package dev.kanmon.console.web;

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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Brute-force bans and the DNSBL local allow/deny lists, with lifting, adding and removing. */
@Path("/lists")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Page.OPERATOR, Page.ADMIN})
public class ListsPage {

    private static final Set<String> LISTS = Set.of("allow", "deny");

    private final Template lists;
    private final Page page;
    private final Backend backend;

    ListsPage(Template lists, Page page, Backend backend) {
        this.lists = lists;
        this.page = page;
        this.backend = backend;
    }

    @GET
    public TemplateInstance get(@QueryParam("msg") String msg, @QueryParam("err") String err) {
        TemplateInstance t = page.of(lists, "lists", msg, err);
        try {
            Map<String, Object> local = new LinkedHashMap<>();
            local.put("deny", backend.list(Service.DNSBL, "/api/v1/local-lists/deny"));
            local.put("allow", backend.list(Service.DNSBL, "/api/v1/local-lists/allow"));
            return t.data("bans", backend.list(Service.AUTH, "/api/v1/bans")).data("localLists", local);
        } catch (BackendException e) {
            return t.data("bans", List.of()).data("localLists", Map.of())
                    .data("err", e.getMessage());
        }
    }

    @POST
    @Path("bans/lift")
    public Response lift(@FormParam("address") String address, @FormParam("login") String login) {
        return Page.act("/lists", () -> {
            Map<String, Object> q = new HashMap<>();
            q.put("address", address);
            q.put("login", login);
            boolean pair = login != null && !login.isBlank();
            backend.call(Service.AUTH, "DELETE", "/api/v1/bans/" + (pair ? "pair" : "address") + Backend.query(q),
                    null);
            return "ban of " + address + (pair ? " / " + login : "") + " lifted";
        });
    }

    @POST
    @Path("dnsbl/{list}/add")
    public Response add(@PathParam("list") String list, @FormParam("cidr") String cidr,
            @FormParam("comment") String comment) {
        return Page.act("/lists", () -> {
            Map<String, Object> body = new HashMap<>();
            body.put("cidr", cidr == null ? "" : cidr.strip());
            body.put("comment", comment);
            backend.call(Service.DNSBL, "POST", "/api/v1/local-lists/" + list(list), body);
            return cidr + " added to the " + list + " list";
        });
    }

    @POST
    @Path("dnsbl/{list}/{id}/remove")
    public Response remove(@PathParam("list") String list, @PathParam("id") long id) {
        return Page.act("/lists", () -> {
            backend.call(Service.DNSBL, "DELETE", "/api/v1/local-lists/" + list(list) + "/" + id, null);
            return "entry " + id + " removed from the " + list + " list";
        });
    }

    private static String list(String list) {
        if (!LISTS.contains(list)) {
            throw new BackendException(404, "no list " + list);
        }
        return list;
    }
}
