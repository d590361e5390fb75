package dev.kanmon.auth.api;

import dev.kanmon.auth.abuse.LoginObserver;
import dev.kanmon.auth.credential.Authenticator;
import dev.kanmon.auth.credential.Decision;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Base64;
import java.util.List;

/**
 * The submission-service's credential checks. Internal: only for a caller whose bearer token holds the client role
 * {@code kanmon-internal}/{@code internal-caller} (docs/service-identity.md), so the {@code clientIp} in a body, which
 * bans are counted against, is believed only from an authenticated service; every decision is HTTP 200 with
 * {@code outcome} SUCCESS, FAILURE or TEMPFAIL.
 */
@RolesAllowed(AuthenticateResource.INTERNAL_CALLER)
@Path("/internal/v1/authenticate")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AuthenticateResource {

    /** The client role (of client {@code kanmon-internal}) that every {@code /internal/*} call must carry. */
    public static final String INTERNAL_CALLER = "internal-caller";

    @Inject
    Authenticator authenticator;

    @Inject
    Admission admission;

    @Inject
    LoginObserver logins;

    @POST
    @Path("password")
    public Uni<AuthResponse> password(Requests.Password r) {
        require(r);
        return admitted(authenticator.password(r.username(), r.password(), r.authzid(), r.clientIp(), r.mechanism()),
                r.username(), r.clientIp(), r.mechanism(), r.session(), r.dnsblListings());
    }

    @POST
    @Path("cram-md5")
    public Uni<AuthResponse> cramMd5(Requests.CramMd5 r) {
        require(r);
        return admitted(authenticator.cramMd5(r.username(), r.challenge(), r.digest(), r.clientIp()), r.username(),
                r.clientIp(), "CRAM-MD5", r.session(), r.dnsblListings());
    }

    /** Step 1 of SCRAM: {@code {"salt":"<b64>","iterations":4096,"reply":null}} or only a reply when banned. */
    @POST
    @Path("scram-sha-256/parameters")
    public Uni<ScramParametersResponse> scramParameters(Requests.ScramParameters r) {
        require(r);
        return authenticator.scramParameters(r.username(), r.clientIp()).map(p -> p
                .map(params -> new ScramParametersResponse(Base64.getEncoder().encodeToString(params.salt()),
                        params.iterations(), null))
                .orElseGet(() -> new ScramParametersResponse(null, null, Reply.of(Decision.BANNED))));
    }

    @POST
    @Path("scram-sha-256/proof")
    public Uni<AuthResponse> scramProof(Requests.ScramProof r) {
        require(r);
        byte[] proof;
        try {
            proof = r.clientProof() == null ? null : Base64.getDecoder().decode(r.clientProof());
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("clientProof is not base64");
        }
        return admitted(authenticator.scramProof(r.username(), r.authMessage(), proof, r.clientIp()), r.username(),
                r.clientIp(), "SCRAM-SHA-256", r.session(), r.dnsblListings());
    }

    @POST
    @Path("token")
    public Uni<AuthResponse> token(Requests.Token r) {
        require(r);
        return admitted(authenticator.token(r.token(), r.username(), r.clientIp(), r.mechanism()), r.username(),
                r.clientIp(), r.mechanism(), r.session(), r.dnsblListings());
    }

    private Uni<AuthResponse> admitted(Uni<Decision> decision, String username, String clientIp, String mechanism,
            Requests.Admission asked, List<String> dnsblListings) {
        // the abuse signals' view of every decided check (docs/abuse.md)
        return decision.invoke(d -> logins.observe(username, clientIp, mechanism, dnsblListings, d))
                .flatMap(d -> admission.answer(d, asked));
    }

    /** SCRAM step-1 answer. */
    public record ScramParametersResponse(String salt, Integer iterations, Reply reply) {
    }

    private static void require(Object body) {
        if (body == null) {
            throw new BadRequestException("JSON body required");
        }
    }
}
