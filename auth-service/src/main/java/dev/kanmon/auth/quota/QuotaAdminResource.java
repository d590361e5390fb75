package dev.kanmon.auth.quota;

import dev.kanmon.auth.audit.OperatorAudit;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * Operators' throttling API. Reading and suspending are operator tasks ({@code relay-operator}); changing
 * plans and limits is an administrator's ({@code relay-admin}).
 */
@Path("/api/v1/quota")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class QuotaAdminResource {

    /** Request body of a suspension, and the optional one of lifting it: the operator's reason. */
    public record Suspension(String reason) {
    }

    private final QuotaDirectory directory;
    private final OperatorAudit audit;

    QuotaAdminResource(QuotaDirectory directory, OperatorAudit audit) {
        this.directory = directory;
        this.audit = audit;
    }

    @GET
    @Path("/plans")
    @RolesAllowed({"relay-operator", "relay-admin"})
    public Uni<List<Plan>> plans() {
        return directory.plans();
    }

    @PUT
    @Path("/plans/{name}")
    @RolesAllowed("relay-admin")
    public Uni<Plan> savePlan(@PathParam("name") String name, Plan plan) {
        return directory.savePlan(new Plan(name, plan.messagesPerMinute(), plan.messagesPerHour(), plan.messagesPerDay(),
                        plan.recipientsPerMessage(), plan.recipientsPerDay(), plan.concurrentSessions()))
                .call(saved -> audit.record("plan.save", "plan", name, null, null, saved.toString()));
    }

    @GET
    @Path("/subscribers/{username}")
    @RolesAllowed({"relay-operator", "relay-admin"})
    public Uni<SubscriberQuota> subscriber(@PathParam("username") String username) {
        return directory.subscriber(username);
    }

    @PUT
    @Path("/subscribers/{username}")
    @RolesAllowed("relay-admin")
    public Uni<SubscriberQuota> saveSubscriber(@PathParam("username") String username, SubscriberLimits limits) {
        return directory.subscriber(username).flatMap(before -> directory.saveSubscriber(username, limits)
                .flatMap(v -> directory.subscriber(username))
                .call(after -> audit.record("subscriber.limits", "subscriber", username, null,
                        before.limits().toString(), after.limits().toString())));
    }

    @PUT
    @Path("/subscribers/{username}/suspension")
    @RolesAllowed({"relay-operator", "relay-admin"})
    public Uni<SubscriberQuota> suspend(@PathParam("username") String username, Suspension suspension) {
        String reason = suspension == null ? null : suspension.reason();
        return directory.subscriber(username).flatMap(before -> directory.suspend(username, reason)
                .flatMap(v -> directory.subscriber(username))
                .call(after -> audit.record("subscriber.suspend", "subscriber", username, reason,
                        state(before), state(after))));
    }

    @DELETE
    @Path("/subscribers/{username}/suspension")
    @RolesAllowed({"relay-operator", "relay-admin"})
    public Uni<SubscriberQuota> reinstate(@PathParam("username") String username, Suspension lifting) {
        return directory.subscriber(username).flatMap(before -> directory.reinstate(username)
                .flatMap(v -> directory.subscriber(username))
                .call(after -> audit.record("subscriber.unsuspend", "subscriber", username,
                        lifting == null ? null : lifting.reason(), state(before), state(after))));
    }

    /** A subscriber's suspension in words, for the audit log. */
    private static String state(SubscriberQuota q) {
        return q.limits().suspended() ? "suspended: " + q.limits().suspendedReason() : "active";
    }

    /**
     * Top senders in the current window. {@code metric=refused&window=day} lists who is being throttled
     * today.
     */
    @GET
    @Path("/top")
    @RolesAllowed({"relay-operator", "relay-admin"})
    public Uni<List<Usage>> top(@QueryParam("metric") @DefaultValue("messages") String metric,
            @QueryParam("window") @DefaultValue("day") String window,
            @QueryParam("limit") @DefaultValue("20") int limit) {
        if (!List.of("messages", "recipients", "refused").contains(metric)) {
            throw new BadRequestException("metric must be messages, recipients or refused");
        }
        try {
            return directory.top(metric, Window.of(window), Math.max(1, Math.min(limit, 1000)));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }
}
