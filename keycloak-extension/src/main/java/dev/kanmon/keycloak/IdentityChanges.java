package dev.kanmon.keycloak;

import java.util.Optional;
import java.util.Set;
import org.keycloak.events.Details;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;

/**
 * Which Keycloak events reach the relay. Everything under {@code users/{id}} in the admin API (update with the
 * enabled flag or attributes, delete, reset-password, credentials, logout, group membership, role mappings) is a
 * change of that user; group updates and deletions, realm-wide logout and revoked sessions may concern anybody.
 * Of the user's own actions, those that change a credential, an address or the account itself.
 */
final class IdentityChanges {

    /** User event types that change what the relay knows (credentials, addresses, the account itself). */
    static final Set<String> USER_EVENTS = Set.of("UPDATE_PASSWORD", "UPDATE_CREDENTIAL", "REMOVE_CREDENTIAL",
            "UPDATE_TOTP", "REMOVE_TOTP", "RESET_PASSWORD", "UPDATE_PROFILE", "UPDATE_EMAIL", "DELETE_ACCOUNT",
            "USER_DISABLED_BY_PERMANENT_LOCKOUT");

    private IdentityChanges() {
    }

    /**
     * @param logins whether a successful {@code LOGIN} is published too (SPI option {@code publish-logins}); it
     *               carries the user name and the client address for the relay's login-before-SMTP window
     */
    static Optional<IdentityChange> of(Event event, boolean logins) {
        if (logins && event.getError() == null && event.getUserId() != null && event.getIpAddress() != null
                && event.getType() == EventType.LOGIN) {
            String username = event.getDetails() == null ? null : event.getDetails().get(Details.USERNAME);
            return Optional.of(new IdentityChange(event.getRealmName(), event.getUserId(), IdentityChange.LOGIN,
                    event.getTime(), username, event.getIpAddress()));
        }
        if (event.getError() != null || event.getUserId() == null || !USER_EVENTS.contains(event.getType().name())) {
            return Optional.empty();
        }
        return Optional.of(new IdentityChange(event.getRealmName(), event.getUserId(), event.getType().name(),
                event.getTime()));
    }

    static Optional<IdentityChange> of(AdminEvent event) {
        if (event.getError() != null || event.getResourceType() == null) {
            return Optional.empty();
        }
        String path = event.getResourcePath() == null ? "" : event.getResourcePath();
        String change = "ADMIN_" + event.getResourceType().name() + "_" + event.getOperationType().name();
        String userId = null;
        if (path.startsWith("users/")) {
            String rest = path.substring("users/".length());
            int slash = rest.indexOf('/');
            userId = slash < 0 ? rest : rest.substring(0, slash);
        } else if (everybody(event.getResourceType(), event.getOperationType(), path)) {
            userId = IdentityChange.ALL_USERS;
        }
        if (userId == null || userId.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new IdentityChange(event.getRealmName(), userId, change, event.getTime()));
    }

    private static boolean everybody(ResourceType type, OperationType operation, String path) {
        return switch (type) {
            // a group's smtpPlan changed, or the group (and so its members' plan) went away
            case GROUP -> operation == OperationType.UPDATE || operation == OperationType.DELETE;
            // an administrator revoked a session by id (the event does not say whose) or logged everybody out
            case USER_SESSION -> operation == OperationType.DELETE;
            case REALM -> path.startsWith("logout-all") || path.startsWith("push-revocation");
            default -> false;
        };
    }
}
