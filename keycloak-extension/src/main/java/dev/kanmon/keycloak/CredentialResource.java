package dev.kanmon.keycloak;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserLoginFailureModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.BruteForceProtector;

/**
 * {@code POST /realms/{realm}/kanmon/credentials/verify}: checks a password with Keycloak's own credential manager
 * (the realm's hashing and federation) and nothing else: no user session, no token, no login event. A user that
 * Keycloak's brute-force detection holds is refused without looking at the password, as Keycloak's own
 * authenticators do. SMTP failures are not reported to that per-user counter: the relay bans per (address, login)
 * pair and per address (docs/authentication.md), and a per-user count fed from SMTP would let anyone who knows a
 * login lock its subscriber out everywhere from a few addresses. Nothing is written on a success either.
 */
public final class CredentialResource {

    /** Attribute with the user's additional envelope senders. */
    static final String ALIASES = "mailAliases";
    /** Attribute with the subscriber's quota plan, on the user or one of its groups. */
    static final String PLAN = "smtpPlan";
    /** Credential types of a second factor an SMTP client cannot present. */
    private static final Set<String> SECOND_FACTORS = Set.of("otp", "webauthn", "webauthn-passwordless");

    private final KeycloakSession session;
    private final CallerPolicy callers;
    private final AuthorisedCallers authorised;

    CredentialResource(KeycloakSession session, CallerPolicy callers, AuthorisedCallers authorised) {
        this.session = session;
        this.callers = callers;
        this.authorised = authorised;
    }

    @POST
    @Path("credentials/verify")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response verify(VerifyRequest request) {
        RealmModel realm = session.getContext().getRealm();
        Response refused = refuseCaller(realm);
        if (refused != null) {
            return refused;
        }
        if (request == null || blank(request.username()) || request.password() == null || request.password().isEmpty()) {
            return Response.status(Response.Status.BAD_REQUEST).build();
        }
        return Response.ok(check(realm, request)).build();
    }

    /** Null when the bearer token's user holds the caller role (checked by Keycloak, or remembered); else the answer. */
    private Response refuseCaller(RealmModel realm) {
        AppAuthManager.AuthHeader header =
                AppAuthManager.extractAuthorizationHeaderTokenOrReturnNull(session.getContext().getRequestHeaders());
        String token = header != null && "bearer".equalsIgnoreCase(header.getScheme()) ? header.getToken() : null;
        long now = Time.currentTimeMillis();
        if (authorised.known(realm.getId(), token, now)) {
            return null;
        }
        AuthenticationManager.AuthResult caller = new AppAuthManager.BearerTokenAuthenticator(session).authenticate();
        if (caller == null) {
            return Response.status(Response.Status.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
        }
        if (!authorised(realm, caller.getUser())) {
            return Response.status(Response.Status.FORBIDDEN).build();
        }
        Long exp = caller.getToken().getExp();
        if (exp != null) {
            authorised.remember(realm.getId(), token, exp * 1000, now);
        }
        return null;
    }

    private boolean authorised(RealmModel realm, UserModel caller) {
        ClientModel client = realm.getClientByClientId(callers.clientId());
        RoleModel role = client == null ? null : client.getRole(callers.role());
        return role != null && caller.hasRole(role);
    }

    private Verification check(RealmModel realm, VerifyRequest request) {
        UserModel user = KeycloakModelUtils.findUserByNameOrEmail(session, realm, request.username().trim());
        if (user == null || user.getServiceAccountClientLink() != null) {
            return Verification.invalid();
        }
        if (lockedOut(realm, user)) {
            return Verification.locked(user.getId());
        }
        if (!user.credentialManager().isValid(UserCredentialModel.password(request.password()))) {
            return Verification.invalid();
        }
        if (!user.isEnabled()) {
            return Verification.disabled(user.getId());
        }
        return new Verification("VALID", user.getId(), user.getUsername(), true, user.getEmail(),
                user.getAttributeStream(ALIASES).filter(Objects::nonNull).toList(), plan(user),
                user.credentialManager().getStoredCredentialsStream().anyMatch(c -> SECOND_FACTORS.contains(c.getType())));
    }

    /**
     * Whether Keycloak's brute-force detection holds the user: permanently (disabled for it, or more temporary
     * lockouts than the realm allows) or until {@code failedLoginNotBefore}. These are the checks of Keycloak's
     * {@code DefaultBruteForceProtector}, read from the user's login-failure record. The provider itself is not asked:
     * Keycloak 26's default one ({@code DefaultBlockingBruteForceProtector}, {@code allowConcurrentRequests=false})
     * also answers "temporarily disabled" for every check of a user while another check of the same user is running,
     * so a subscriber's mail client opening a few SMTP sessions at once got {@code LOCKED} (454 "Too many failed
     * authentications") on all but one, without a single failure. Concurrent guesses cannot race a counter here:
     * SMTP failures are counted by the relay's bans, not by Keycloak (above).
     */
    private boolean lockedOut(RealmModel realm, UserModel user) {
        if (!realm.isBruteForceProtected()) {
            return false;
        }
        if (!user.isEnabled()
                && BruteForceProtector.DISABLED_BY_PERMANENT_LOCKOUT.equals(user.getFirstAttribute(UserModel.DISABLED_REASON))) {
            return true;
        }
        UserLoginFailureModel failures = session.loginFailures().getUserLoginFailure(realm, user.getId());
        if (failures == null) {
            return false;
        }
        if (realm.isPermanentLockout() && failures.getNumTemporaryLockouts() > realm.getMaxTemporaryLockouts()) {
            return true;
        }
        return Time.currentTimeMillis() / 1000 < failures.getFailedLoginNotBefore();
    }

    private static String plan(UserModel user) {
        String own = user.getFirstAttribute(PLAN);
        if (!blank(own)) {
            return own;
        }
        List<GroupModel> groups = user.getGroupsStream().toList();
        for (GroupModel group : groups) {
            for (GroupModel g = group; g != null; g = g.getParent()) {
                String inherited = g.getFirstAttribute(PLAN);
                if (!blank(inherited)) {
                    return inherited;
                }
            }
        }
        return null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
