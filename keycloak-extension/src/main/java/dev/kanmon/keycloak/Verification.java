package dev.kanmon.keycloak;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Answer of the credential check (always HTTP 200 once the caller is authorised).
 *
 * @param result       {@code VALID}: password right and user enabled; {@code INVALID}: unknown user or wrong
 *                     password; {@code DISABLED}: password right, user disabled; {@code LOCKED}: brute-force
 *                     detection holds the user (password not checked)
 * @param userId       Keycloak user id (not for INVALID)
 * @param username     Keycloak user name (VALID only, as the rest)
 * @param enabled      whether the user is enabled
 * @param email        the user's e-mail address, if any
 * @param aliases      attribute {@code mailAliases}
 * @param plan         attribute {@code smtpPlan} of the user, else of the first of its groups that has one
 * @param secondFactor whether an OTP or WebAuthn credential is configured (an SMTP client cannot present it)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Verification(String result, String userId, String username, Boolean enabled, String email,
        List<String> aliases, String plan, Boolean secondFactor) {

    static Verification invalid() {
        return new Verification("INVALID", null, null, null, null, null, null, null);
    }

    static Verification locked(String userId) {
        return new Verification("LOCKED", userId, null, null, null, null, null, null);
    }

    static Verification disabled(String userId) {
        return new Verification("DISABLED", userId, null, false, null, null, null, null);
    }
}
