package dev.kanmon.dnsbl.api;

import dev.kanmon.core.net.Cidr;
import dev.kanmon.dnsbl.audit.OperatorAudit;
import dev.kanmon.dnsbl.locallist.ListKind;
import dev.kanmon.dnsbl.locallist.LocalListEntry;
import dev.kanmon.dnsbl.locallist.LocalLists;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** Operators' local allow/deny networks: {@code /api/v1/local-lists/allow} and {@code /api/v1/local-lists/deny}. */
@Path("/api/v1/local-lists/{list}")
@RolesAllowed({"relay-operator", "relay-admin"})
@Produces(MediaType.APPLICATION_JSON)
public class LocalListResource {

    /** Body of a POST. */
    public record NewEntry(String cidr, String comment) {
    }

    @Inject
    LocalLists lists;

    @Inject
    SecurityIdentity identity;

    @Inject
    OperatorAudit audit;

    @GET
    public Uni<List<LocalListEntry>> list(@PathParam("list") String list) {
        return lists.list(kind(list));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> add(@PathParam("list") String list, NewEntry body) {
        ListKind kind = kind(list);
        String cidr;
        try {
            cidr = Cidr.parseExact(body == null ? null : body.cidr()).toString();
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(error(Response.Status.BAD_REQUEST, e.getMessage()));
        }
        return lists.add(kind, cidr, body.comment(), identity.getPrincipal().getName())
                .call(e -> audit.record("dnsbl.add", "network", kind.key() + " " + cidr, body.comment(), "not listed",
                        "listed (entry " + e.id() + ")"))
                .map(e -> Response.created(URI.create("/api/v1/local-lists/" + kind.key() + "/" + e.id()))
                        .entity(e).build())
                .onFailure(err -> err instanceof PgException pg && "23505".equals(pg.getSqlState()))
                .recoverWithItem(() -> error(Response.Status.CONFLICT, cidr + " is already on the " + kind.key()
                        + " list"));
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("list") String list, @PathParam("id") long id) {
        ListKind kind = kind(list);
        // The entry first, so that the audit log names the network, not only its id.
        return lists.list(kind).chain(entries -> {
            LocalListEntry entry = entries.stream().filter(e -> e.id() == id).findFirst().orElse(null);
            return lists.delete(kind, id).chain(removed -> removed
                    ? audit.record("dnsbl.remove", "network", kind.key() + " " + (entry == null ? "#" + id
                                    : entry.cidr()), entry == null ? null : entry.comment(),
                            "listed (entry " + id + ")", "not listed").replaceWith(Response.noContent().build())
                    : Uni.createFrom().item(error(Response.Status.NOT_FOUND, "no entry " + id + " on the " + list
                            + " list")));
        });
    }

    private static ListKind kind(String list) {
        try {
            return ListKind.of(list);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("no list '" + list + "'; there are allow and deny");
        }
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
