package dev.kanmon.auth.api;

import dev.kanmon.auth.credential.Decision;
import dev.kanmon.auth.keycloak.UserDirectory;
import dev.kanmon.auth.window.LoginWindows;
import dev.kanmon.auth.window.WindowLookup;
import dev.kanmon.core.smtp.SmtpReply;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.logging.Logger;

/**
 * Login-before-SMTP for the submission-service: may this client address submit without AUTH, and as whom? Answers
 * with the credential checks' contract: SUCCESS with the window's user and addresses (and the quota session when
 * asked for, as after AUTH), FAILURE {@code 530 5.7.0} when there is no window (none, expired, a shared address, a
 * user since disabled or deleted), TEMPFAIL when PostgreSQL or Keycloak cannot answer. Nothing here counts towards
 * bans: no credential was offered. Internal (role {@code internal-caller}), like every {@code /internal/*} path.
 */
@RolesAllowed(AuthenticateResource.INTERNAL_CALLER)
@Path("/internal/v1/authenticate/window")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class LoginWindowResource {

    /** What the submission would have said without the window. */
    static final SmtpReply NO_WINDOW = SmtpReply.of(530, "5.7.0", "Authentication required");

    private static final Logger LOG = Logger.getLogger(LoginWindowResource.class);

    @Inject
    LoginWindows windows;

    @Inject
    UserDirectory directory;

    @Inject
    Admission admission;

    /**
     * @param clientIp the SMTP client's address
     * @param session  open the user's quota session on success, as the credential checks do
     */
    record WindowRequest(String clientIp, Requests.Admission session) {
    }

    @POST
    public Uni<AuthResponse> window(WindowRequest r) {
        if (r == null) {
            throw new BadRequestException("JSON body required");
        }
        return windows.find(r.clientIp())
                .flatMap(w -> w.state() == WindowLookup.State.OPEN ? user(w) : Uni.createFrom().item(noWindow()))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("login window of %s not looked up: %s", r.clientIp(), e.toString());
                    return Decision.tempfail();
                })
                .flatMap(d -> admission.answer(d, r.session()));
    }

    /** The window's user as Keycloak has it now: addresses may have changed since the login, or the user gone. */
    private Uni<Decision> user(WindowLookup w) {
        return directory.find(w.username()).map(found -> found
                .filter(u -> u.enabled())
                .map(u -> Decision.success(u.identity()))
                .orElseGet(LoginWindowResource::noWindow));
    }

    private static Decision noWindow() {
        return new Decision(Decision.Outcome.FAILURE, null, NO_WINDOW, null);
    }
}
