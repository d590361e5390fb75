package dev.kanmon.dnsbl.api;

import dev.kanmon.dnsbl.policy.Screening;
import dev.kanmon.dnsbl.query.ClientAddress;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * The verdict the submission service asks for at connect (port 25) and after AUTH (587/465). Internal: only for a
 * caller whose bearer token holds the client role {@code kanmon-internal}/{@code internal-caller}
 * (docs/service-identity.md); the token's signature is checked against the realm keys in memory, so the SMTP path
 * pays no call to Keycloak.
 */
@Path("/internal/v1/check")
@RolesAllowed(CheckResource.INTERNAL_CALLER)
public class CheckResource {

    /** The client role (of client {@code kanmon-internal}) that every {@code /internal/*} call must carry. */
    public static final String INTERNAL_CALLER = "internal-caller";

    @Inject
    Screening screening;

    /**
     * @param ip            the client address, IPv4 or IPv6 literal
     * @param port          the SMTP port the client connected to (logged context only)
     * @param authenticated whether the session is authenticated (a metric tag: listed addresses that log in hint at
     *                      stolen credentials)
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<CheckResponse> check(@QueryParam("ip") String ip, @QueryParam("port") Integer port,
            @QueryParam("authenticated") Boolean authenticated) {
        ClientAddress client;
        try {
            client = ClientAddress.parse(ip);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("ip must be an IPv4 or IPv6 address literal");
        }
        return screening.check(client, authenticated == null ? "unknown" : authenticated.toString())
                .map(CheckResponse::of);
    }
}
