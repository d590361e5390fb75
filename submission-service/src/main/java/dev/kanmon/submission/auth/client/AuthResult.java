package dev.kanmon.submission.auth.client;

import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.quota.QuotaVerdict;
import java.util.List;

/**
 * The auth-service's decision on one credential check.
 *
 * @param outcome         SUCCESS, FAILURE or TEMPFAIL
 * @param user            the Keycloak user name on success, else null
 * @param addresses       envelope senders the user may use (primary first), empty unless SUCCESS
 * @param reply           the SMTP reply to send on FAILURE/TEMPFAIL, null on SUCCESS
 * @param serverSignature SCRAM's ServerSignature on a SCRAM success, else null
 * @param admission       the quota ledger's admission of the session, when the check asked for it and the ledger
 *                        answered; null otherwise (the session then asks the ledger itself)
 * @param userId          the Keycloak user id on success when the auth-service sent it, else null: the key of the
 *                        identity changes that end the user's open sessions (docs/authentication.md)
 */
public record AuthResult(Outcome outcome, String user, List<String> addresses, SmtpReply reply, byte[] serverSignature,
        QuotaVerdict admission, String userId) {

    /** The three outcomes of the contract. */
    public enum Outcome { SUCCESS, FAILURE, TEMPFAIL }

    /** What every transport problem becomes: the client may retry later (docs/architecture.md). */
    public static final SmtpReply TEMPORARY = SmtpReply.of(454, "4.7.0", "Temporary authentication failure");

    public AuthResult {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }

    /** A result without a user id. */
    public AuthResult(Outcome outcome, String user, List<String> addresses, SmtpReply reply, byte[] serverSignature,
            QuotaVerdict admission) {
        this(outcome, user, addresses, reply, serverSignature, admission, null);
    }

    static AuthResult tempfail() {
        return new AuthResult(Outcome.TEMPFAIL, null, List.of(), TEMPORARY, null, null);
    }

    public boolean success() {
        return outcome == Outcome.SUCCESS;
    }
}
