package dev.kanmon.auth.api;

import dev.kanmon.auth.apppassword.AppPasswordStore;
import dev.kanmon.auth.apppassword.AppPasswords;
import dev.kanmon.auth.credential.SuccessCache;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Self-service SMTP app passwords for the subscriber named by the bearer token's {@code preferred_username}. The
 * secret is in the creation response only; afterwards only verifiers exist.
 */
@Path("/api/v1/app-passwords")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class AppPasswordResource {

    private static final int MAX_LABEL = 100;

    @Inject
    JsonWebToken jwt;

    @Inject
    AppPasswords appPasswords;

    @Inject
    AppPasswordStore store;

    @Inject
    SuccessCache cache;

    /** Creation request: a label such as "Thunderbird at home". */
    public record CreateRequest(String label) {
    }

    /** Creation answer: the only time the secret is shown. */
    public record CreatedResponse(UUID id, String label, String username, String password) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(CreateRequest request) {
        String label = request == null || request.label() == null ? "" : request.label().strip();
        if (label.isEmpty() || label.length() > MAX_LABEL) {
            throw new BadRequestException("label of 1.." + MAX_LABEL + " characters required");
        }
        String user = owner();
        return appPasswords.create(user, label)
                .map(created -> Response.status(Response.Status.CREATED)
                        .entity(new CreatedResponse(created.id(), created.label(), user, created.secret()))
                        .build())
                .onFailure(AppPasswords.LimitReachedException.class)
                .transform(err -> new ClientErrorException(err.getMessage(), Response.Status.CONFLICT));
    }

    @GET
    public Uni<List<AppPasswordStore.Listed>> list() {
        return store.list(owner());
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> revoke(@PathParam("id") UUID id) {
        return store.delete(owner(), id).map(deleted -> {
            if (!deleted) {
                throw new NotFoundException();
            }
            // Here at once; other instances drop it at their next revalidation.
            cache.evictAppPassword(id);
            return Response.noContent().build();
        });
    }

    private String owner() {
        String name = jwt.getClaim("preferred_username");
        if (name == null || name.isBlank()) {
            throw new BadRequestException("token has no preferred_username");
        }
        return name.toLowerCase(Locale.ROOT);
    }
}
