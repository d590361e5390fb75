package dev.kanmon.auth.quota;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;

/**
 * Called by the submission service on the SMTP path: at AUTH success (session lease), MAIL FROM (one
 * message) and RCPT TO (one recipient). Reachable only inside the cluster (NetworkPolicy).
 */
@Path("/internal/v1/quota")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class QuotaInternalResource {

    /** Request body of {@code POST /sessions}. */
    public record SessionRequest(String username) {
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
    @Path("/sessions")
    public Uni<SessionGrant> openSession(SessionRequest request) {
        return ledger.openSession(request.username());
    }

    @DELETE
    @Path("/sessions/{leaseId}")
    public Uni<Void> closeSession(@PathParam("leaseId") UUID leaseId) {
        return ledger.closeSession(leaseId);
    }
}
