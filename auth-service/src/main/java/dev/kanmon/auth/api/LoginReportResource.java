package dev.kanmon.auth.api;

import dev.kanmon.auth.window.LoginWindows;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Set;

/**
 * The ISP's mail store reports a successful POP3 or IMAP login, which opens a login-before-SMTP window for the
 * client address (docs/authentication.md). For the realm role {@code mail-store} (the mail store's service
 * account) and operators. The user is not looked up here (a mail store reports every poll of every client): a
 * window of an unknown or disabled user is refused when it is used.
 */
@Path("/api/v1/login-windows")
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({"mail-store", "relay-operator", "relay-admin"})
public class LoginReportResource {

    private static final Set<String> SERVICES = Set.of("pop3", "imap");

    @Inject
    LoginWindows windows;

    /**
     * @param username the Keycloak user name that logged in
     * @param clientIp the address it logged in from (an address literal)
     * @param service  {@code pop3} or {@code imap}
     */
    public record LoginReport(String username, String clientIp, String service) {
    }

    /** 204 recorded; 400 incomplete; 404 when login-before-SMTP is off. */
    @POST
    public Uni<Response> report(LoginReport r) {
        if (!windows.enabled()) {
            throw new NotFoundException("login-before-SMTP is not enabled");
        }
        if (r == null || r.username() == null || r.username().isBlank() || !LoginWindows.isAddress(r.clientIp())
                || !SERVICES.contains(r.service())) {
            throw new BadRequestException("username, clientIp (an address) and service (pop3 or imap) are required");
        }
        return windows.loggedIn(r.username(), r.clientIp(), Instant.now(), r.service())
                .map(v -> Response.noContent().build());
    }
}
