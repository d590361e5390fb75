package dev.kanmon.submission.smtp.policy;

import dev.kanmon.core.smtp.Mailbox;
import dev.kanmon.submission.auth.AuthenticatedUser;

/**
 * Whose addresses an authenticated user may send as: its own, as the auth-service lists them (Postfix's
 * {@code reject_sender_login_mismatch}); the local part exact (RFC 5321 §2.4), the domain case-insensitive.
 */
public final class SenderRights {

    private SenderRights() {
    }

    public static boolean owns(AuthenticatedUser user, Mailbox mailbox) {
        for (String address : user.addresses()) {
            int at = address.lastIndexOf('@');
            if (at > 0 && address.substring(0, at).equals(mailbox.localPart())
                    && address.substring(at + 1).equalsIgnoreCase(mailbox.domain())) {
                return true;
            }
        }
        return false;
    }
}
