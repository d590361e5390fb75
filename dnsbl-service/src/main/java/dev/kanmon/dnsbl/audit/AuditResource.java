package dev.kanmon.dnsbl.audit;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The dnsbl-service's part of the audit log, with the filters of the queue-service's {@code /api/v1/abuse/audit}. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"relay-operator", "relay-admin"})
public class AuditResource {

    private final OperatorAudit audit;

    AuditResource(OperatorAudit audit) {
        this.audit = audit;
    }

    @GET
    public Uni<List<AuditEntry>> list(@QueryParam("target-kind") String targetKind,
            @QueryParam("target") String target, @QueryParam("actor") String actor,
            @QueryParam("action") String action, @QueryParam("since") String since,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        Instant from;
        try {
            from = since == null ? null : Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw new BadRequestException("since must be an ISO-8601 instant");
        }
        return audit.list(targetKind, target, actor, action, from, Math.max(1, Math.min(limit, 1000)));
    }
}
