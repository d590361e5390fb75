package dev.kanmon.queue.abuse;

import dev.kanmon.queue.audit.AuditEntry;
import dev.kanmon.queue.audit.AuditLog;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * The operator view of the abuse automation (docs/abuse.md, "Operator API"): subscribers by score with their signals,
 * measures and held messages; undoing each step; the audit record. Realm roles {@code relay-operator} or
 * {@code relay-admin}.
 */
@Path("/api/v1/abuse")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({"relay-operator", "relay-admin"})
public class AbuseResource {

    /** Optional body of an undo: the operator's reason, kept in the audit record. */
    public record Undo(String reason) {
    }

    @Inject
    AbuseOperator operator;

    @Inject
    AuditLog audit;

    @Inject
    SecurityIdentity identity;

    @GET
    @Path("/subscribers")
    public Uni<List<SubscriberView>> subscribers(@QueryParam("min-score") @DefaultValue("1") int minScore,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        return operator.list(minScore, Math.max(1, Math.min(limit, 1000)));
    }

    @GET
    @Path("/subscribers/{user}")
    public Uni<SubscriberView> subscriber(@PathParam("user") String user) {
        return operator.detail(user.toLowerCase(Locale.ROOT)).onItem().ifNull()
                .failWith(() -> new NotFoundException("no abuse record of " + user));
    }

    /** The audit record of one subscriber, newest first. */
    @GET
    @Path("/subscribers/{user}/actions")
    public Uni<List<AuditEntry>> actions(@PathParam("user") String user,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        return audit.list("subscriber", user.toLowerCase(Locale.ROOT), null, null, null, Math.max(1, Math.min(limit, 1000)));
    }

    @DELETE
    @Path("/subscribers/{user}/slow-down")
    public Uni<AuditEntry> liftSlowDown(@PathParam("user") String user, Undo undo) {
        return last(user, operator.liftSlowDown(user, who(), reason(undo)), "slow-down");
    }

    @DELETE
    @Path("/subscribers/{user}/suspension")
    public Uni<AuditEntry> liftSuspension(@PathParam("user") String user, Undo undo) {
        return last(user, operator.liftSuspension(user, who(), reason(undo)), "suspension");
    }

    /** Ends the hold: the held messages are delivered. */
    @POST
    @Path("/subscribers/{user}/hold/release")
    public Uni<AuditEntry> release(@PathParam("user") String user, Undo undo) {
        return last(user, operator.releaseHold(user, who(), reason(undo)), "hold");
    }

    /** Ends the hold: the held messages are bounced ({@code mode=bounce}, default) or dropped ({@code mode=drop}). */
    @POST
    @Path("/subscribers/{user}/hold/reject")
    public Uni<AuditEntry> reject(@PathParam("user") String user, @QueryParam("mode") @DefaultValue("bounce") String mode,
            Undo undo) {
        AbuseOperator.Rejection how;
        try {
            how = AbuseOperator.Rejection.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("mode must be bounce or drop");
        }
        return last(user, operator.rejectHold(user, who(), reason(undo), how), "hold");
    }

    /** Every audited action, newest first, filtered by target, actor, action and time. */
    @GET
    @Path("/audit")
    public Uni<List<AuditEntry>> audit(@QueryParam("target-kind") String targetKind, @QueryParam("target") String target,
            @QueryParam("actor") String actor, @QueryParam("action") String action, @QueryParam("since") String since,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        Instant from;
        try {
            from = since == null ? null : Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw new BadRequestException("since must be an ISO-8601 instant");
        }
        return audit.list(targetKind, target, actor, action, from, Math.max(1, Math.min(limit, 1000)));
    }

    private Uni<AuditEntry> last(String user, Uni<Boolean> undo, String what) {
        return undo.chain(done -> {
            if (!done) {
                throw new NotFoundException("no " + what + " of " + user + " in force");
            }
            return audit.list("subscriber", user.toLowerCase(Locale.ROOT), null, null, null, 1).map(l -> l.get(0));
        });
    }

    private String who() {
        return identity.getPrincipal().getName();
    }

    private static String reason(Undo undo) {
        return undo == null ? null : undo.reason();
    }
}
