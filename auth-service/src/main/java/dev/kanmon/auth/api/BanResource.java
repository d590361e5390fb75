package dev.kanmon.auth.api;

import dev.kanmon.auth.ban.Ban;
import dev.kanmon.auth.ban.BruteForceGuard;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Operators list and lift brute-force bans (Keycloak realm roles {@code relay-operator} / {@code relay-admin}). */
@Path("/api/v1/bans")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"relay-operator", "relay-admin"})
public class BanResource {

    @Inject
    BruteForceGuard guard;

    @GET
    public Uni<List<Ban>> list() {
        return guard.list();
    }

    /** {@code DELETE /api/v1/bans/ip/192.0.2.1} or {@code /api/v1/bans/user/alice}: 204, or 404 if not banned. */
    @DELETE
    @Path("{kind: ip|user}/{value}")
    public Uni<Response> lift(@PathParam("kind") String kind, @PathParam("value") String value) {
        return guard.lift(kind, value).map(lifted -> {
            if (!lifted) {
                throw new NotFoundException("no active ban for " + kind + " " + value);
            }
            return Response.noContent().build();
        });
    }
}
