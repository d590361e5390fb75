package dev.kanmon.submission.auth.revocation;

import java.util.Set;

/**
 * Which identity changes end a user's open SMTP sessions (docs/authentication.md, "Open sessions"). The record says
 * what kind of change happened, not what changed: disabling a user is an {@code ADMIN_USER_UPDATE} like a new e-mail
 * address. So every administrator's change of the user account counts, and the session is ended with a transient
 * {@code 421}: the client reconnects and authenticates again, and the auth-service (whose caches the same record
 * dropped) decides afresh: {@code 535} for a disabled user, success with the new addresses otherwise.
 */
final class Revocations {

    /**
     * Changes after which an open session must not send again.
     * <ul>
     * <li>{@code ADMIN_USER_UPDATE}: the enabled flag (or an address, attribute) changed by an administrator;
     * <li>{@code ADMIN_USER_DELETE}: the user or one of its credentials deleted;
     * <li>{@code ADMIN_USER_ACTION}: {@code reset-password}, {@code logout} (sign out everywhere) and other actions;
     * <li>{@code RESET_PASSWORD}, {@code UPDATE_PASSWORD}, {@code UPDATE_CREDENTIAL}, {@code REMOVE_CREDENTIAL},
     * {@code UPDATE_TOTP}: the credential the session authenticated with may no longer be accepted (a second factor
     * makes the account password unusable for SMTP); a user who changes the password often suspects it leaked, and
     * the user's own client needs the new password at its next connection anyway;
     * <li>{@code DELETE_ACCOUNT}, {@code USER_DISABLED_BY_PERMANENT_LOCKOUT}.
     * </ul>
     * Not: {@code ADMIN_USER_CREATE}, {@code LOGIN}, the user's own profile or e-mail changes (the session's addresses
     * were the user's), {@code REMOVE_TOTP} (only loosens), group and role changes (plans reach the quota ledger), and
     * changes keyed {@code *} (group updates, Keycloak's own sessions revoked or logged out realm-wide: ending every
     * SMTP session of every user for them would be out of proportion).
     */
    static final Set<String> REVOKING = Set.of("ADMIN_USER_UPDATE", "ADMIN_USER_DELETE", "ADMIN_USER_ACTION",
            "RESET_PASSWORD", "UPDATE_PASSWORD", "UPDATE_CREDENTIAL", "REMOVE_CREDENTIAL", "UPDATE_TOTP",
            "DELETE_ACCOUNT", "USER_DISABLED_BY_PERMANENT_LOCKOUT");

    /** Key of changes that may concern every user. */
    static final String ALL_USERS = "*";

    private Revocations() {
    }

    /** Whether the change of record key {@code userId} ends that user's open sessions. */
    static boolean revokes(String userId, String change) {
        return userId != null && !userId.isEmpty() && !ALL_USERS.equals(userId) && change != null
                && REVOKING.contains(change);
    }
}
