package dev.kanmon.auth.api;

import dev.kanmon.auth.audit.OperatorAudit;
import dev.kanmon.auth.ban.Ban;
import dev.kanmon.auth.ban.BruteForceGuard;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Operators list and lift brute-force bans (Keycloak realm roles {@code relay-operator} / {@code relay-admin}). The
 * address and login go in the query, not the path: an IPv6 network has a {@code /}, a login may hold anything.
 */
@Path("/api/v1/bans")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"relay-operator", "relay-admin"})
public class BanResource {

    @Inject
    BruteForceGuard guard;

    @Inject
    OperatorAudit audit;

    @GET
    public Uni<List<Ban>> list() {
        return guard.list();
    }

    /** {@code DELETE /api/v1/bans/pair?address=192.0.2.1&login=alice}: 204, or 404 if not banned. */
    @DELETE
    @Path("pair")
    public Uni<Response> liftPair(@QueryParam("address") String address, @QueryParam("login") String login) {
        require("address", address);
        require("login", login);
        return lifted(guard.liftPair(address, login), "pair " + address + " " + login, address + " " + login);
    }

    /** {@code DELETE /api/v1/bans/address?address=192.0.2.1}: 204, or 404 if not banned. */
    @DELETE
    @Path("address")
    public Uni<Response> liftAddress(@QueryParam("address") String address) {
        require("address", address);
        return lifted(guard.liftAddress(address), "address " + address, address);
    }

    private Uni<Response> lifted(Uni<Boolean> lift, String what, String target) {
        return lift.flatMap(done -> {
            if (!done) {
                throw new NotFoundException("no active ban for " + what);
            }
            return audit.record("ban.lift", "ban", target, null, "banned", "lifted")
                    .replaceWith(Response.noContent().build());
        });
    }

    private static void require(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new BadRequestException("query parameter " + name + " is required");
        }
    }
}
