package dev.kanmon.auth.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every refused request answers with one JSON shape, {@code {"error": "why"}} (the OpenAPI document's {@code Error}
 * schema), so that scripts and kanmonctl can tell the operator why; Quarkus REST would otherwise send an empty body.
 * A response that already carries an entity is left as it is.
 */
public final class ApiErrorMapper {

    /** The body of every error answer. */
    public record ApiError(String error) {
    }

    @ServerExceptionMapper
    public Response map(WebApplicationException e) {
        Response r = e.getResponse();
        if (r.hasEntity()) {
            return r;
        }
        String message = e.getMessage() == null || e.getMessage().isBlank() ? r.getStatusInfo().getReasonPhrase()
                : e.getMessage();
        return Response.fromResponse(r).type(MediaType.APPLICATION_JSON).entity(new ApiError(message)).build();
    }
}
