package dev.kanmon.auth.quota;

import dev.kanmon.auth.api.AuthenticateResource;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;

/**
 * Called by the submission service on the SMTP path: at AUTH success (session lease with the first escrow
 * block), when a session's block is spent or expired (reserve), and at the end of the session (the rest goes
 * back with the lease). {@code /consume} is the pre-escrow per-message charge, kept for submission pods of the
 * previous release during a rolling update. Only for a caller whose bearer token holds the client role
 * {@code kanmon-internal}/{@code internal-caller} (docs/service-identity.md).
 */
@RolesAllowed(AuthenticateResource.INTERNAL_CALLER)
@Path("/internal/v1/quota")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class QuotaInternalResource {

    /** Request body of {@code POST /sessions}; {@code escrow} asks for the session's first block. */
    public record SessionRequest(String username, boolean escrow) {
    }

    private final QuotaLedger ledger;

    QuotaInternalResource(QuotaLedger ledger) {
        this.ledger = ledger;
    }

    @POST
    @Path("/consume")
    public Uni<QuotaDecision> consume(ConsumeRequest request) {
        return ledger.consume(request);
    }

    @POST
    @Path("/reserve")
    public Uni<QuotaDecision> reserve(ReserveRequest request) {
        return ledger.reserve(request);
    }

    @POST
    @Path("/sessions")
    public Uni<SessionGrant> openSession(SessionRequest request) {
        return ledger.openSession(request.username(), request.escrow());
    }

    /** Request body of {@code POST /sessions/close}. */
    public record SessionEnds(List<SessionEnd> sessions) {
    }

    /**
     * Ends many sessions at once, in one transaction: what the submission service sends, gathering the ends of its
     * sessions for a few milliseconds. Unknown or expired leases are skipped.
     */
    @POST
    @Path("/sessions/close")
    public Uni<Void> closeSessions(SessionEnds request) {
        if (request == null || request.sessions() == null) {
            throw new BadRequestException("JSON body with \"sessions\" required");
        }
        return ledger.closeSessions(request.sessions());
    }

    /** Ends a session; the query names the rest of its current block, which goes back to the ledger. */
    @DELETE
    @Path("/sessions/{leaseId}")
    public Uni<Void> closeSession(@PathParam("leaseId") UUID leaseId, @QueryParam("seq") @DefaultValue("0") long seq,
            @QueryParam("messagesLeft") @DefaultValue("0") int messagesLeft,
            @QueryParam("recipientsLeft") @DefaultValue("0") int recipientsLeft) {
        return ledger.closeSession(leaseId, seq, messagesLeft, recipientsLeft);
    }
}
