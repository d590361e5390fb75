package dev.kanmon.auth.credential;

import dev.kanmon.core.smtp.SmtpReply;

/**
 * The outcome of one credential check.
 *
 * @param outcome         SUCCESS, FAILURE or TEMPFAIL
 * @param identity        who authenticated, on SUCCESS
 * @param reply           the SMTP reply on FAILURE/TEMPFAIL
 * @param serverSignature SCRAM ServerSignature on a SCRAM success
 */
public record Decision(Outcome outcome, Identity identity, SmtpReply reply, byte[] serverSignature) {

    /** The contract's three outcomes. */
    public enum Outcome { SUCCESS, FAILURE, TEMPFAIL }

    public static final SmtpReply INVALID = SmtpReply.of(535, "5.7.8", "Authentication credentials invalid");
    public static final SmtpReply TEMPORARY = SmtpReply.of(454, "4.7.0", "Temporary authentication failure");
    /**
     * A banned source gets a temporary failure: honest to a legitimate user behind a shared address (try later)
     * and no signal to an attacker about the password, which is not even checked.
     */
    public static final SmtpReply BANNED = SmtpReply.of(454, "4.7.0",
            "Too many failed authentications, try again later");

    /**
     * The Keycloak password was right, but the account also has a second factor (OTP, WebAuthn) that no SMTP client
     * can present: the subscriber needs an SMTP app password. 535 as for a wrong password, so a client does not retry.
     */
    public static final SmtpReply SECOND_FACTOR = SmtpReply.of(535, "5.7.8",
            "Two-factor account: use an SMTP app password instead of the account password");

    public static Decision success(Identity identity) {
        return new Decision(Outcome.SUCCESS, identity, null, null);
    }

    public static Decision success(Identity identity, byte[] serverSignature) {
        return new Decision(Outcome.SUCCESS, identity, null, serverSignature);
    }

    public static Decision failure() {
        return new Decision(Outcome.FAILURE, null, INVALID, null);
    }

    public static Decision secondFactor() {
        return new Decision(Outcome.FAILURE, null, SECOND_FACTOR, null);
    }

    public static Decision tempfail() {
        return new Decision(Outcome.TEMPFAIL, null, TEMPORARY, null);
    }

    public static Decision banned() {
        return new Decision(Outcome.TEMPFAIL, null, BANNED, null);
    }
}
