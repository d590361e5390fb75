package dev.kanmon.auth.api;

import dev.kanmon.auth.apppassword.AppPasswordStore;
import dev.kanmon.auth.audit.OperatorAudit;
import dev.kanmon.auth.credential.SuccessCache;
import io.quarkus.security.identity.SecurityIdentity;
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
import java.util.Locale;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The abuse desk's view of a subscriber's app passwords (labels and use, never secrets), and revoking one, e.g. after
 * a leaked password sent spam. The subscriber's own API is {@link AppPasswordResource}.
 */
@Path("/api/v1/subscribers/{username}/app-passwords")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"relay-operator", "relay-admin"})
public class SubscriberAppPasswordResource {

    private static final Logger LOG = Logger.getLogger(SubscriberAppPasswordResource.class);

    @Inject
    AppPasswordStore store;

    @Inject
    SuccessCache cache;

    @Inject
    SecurityIdentity identity;

    @Inject
    OperatorAudit audit;

    @GET
    public Uni<List<AppPasswordStore.Listed>> list(@PathParam("username") String username) {
        return store.list(username.toLowerCase(Locale.ROOT));
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> revoke(@PathParam("username") String username, @PathParam("id") UUID id) {
        String owner = username.toLowerCase(Locale.ROOT);
        return store.delete(owner, id).flatMap(deleted -> {
            if (!deleted) {
                throw new NotFoundException("no app password " + id + " of " + owner);
            }
            // Here at once; other instances drop it at their next revalidation.
            cache.evictAppPassword(id);
            LOG.infof("app password %s of %s revoked by %s", id, owner, identity.getPrincipal().getName());
            return audit.record("subscriber.app-password.revoke", "subscriber", owner, null, "app password " + id,
                    "revoked").replaceWith(Response.noContent().build());
        });
    }
}
