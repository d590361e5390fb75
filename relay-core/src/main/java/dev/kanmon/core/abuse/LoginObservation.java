package dev.kanmon.core.abuse;

import java.time.Instant;

/**
 * One credential check as the auth-service decided it, published on {@value AbuseTopics#LOGINS} (key = user name) for
 * the abuse signals (docs/abuse.md).
 *
 * @param username  the login as the client gave it (lower case); the user's name on success
 * @param email     the user's registered address on success (where abuse notices go), else null
 * @param clientIp  the client address the submission-service saw
 * @param outcome   {@code SUCCESS} or {@code FAILURE} (wrong credentials); temporary failures are not published
 * @param mechanism the SASL mechanism
 * @param at        when the check was decided
 * @param planMessagesPerHour the hourly message limit of the user's plan on success (for the volume against the
 *                  plan), else null
 */
public record LoginObservation(String username, String email, String clientIp, String outcome, String mechanism,
        Instant at, Integer planMessagesPerHour) {

    public static final String SUCCESS = "SUCCESS";
    public static final String FAILURE = "FAILURE";

    public boolean success() {
        return SUCCESS.equals(outcome);
    }
}
