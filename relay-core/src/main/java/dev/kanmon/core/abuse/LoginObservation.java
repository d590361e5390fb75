package dev.kanmon.core.abuse;

import java.time.Instant;
import java.util.List;

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
 * @param dnsblListings what the DNSBL said of the client address at this AUTH, as the submission-service passed it:
 *                  null when it was not checked (no DNSBL, or an older caller), empty when the address is not listed,
 *                  else the {@code zone: reason} listings that made it flagged or blocked
 */
public record LoginObservation(String username, String email, String clientIp, String outcome, String mechanism,
        Instant at, Integer planMessagesPerHour, List<String> dnsblListings) {

    public static final String SUCCESS = "SUCCESS";
    public static final String FAILURE = "FAILURE";

    public boolean success() {
        return SUCCESS.equals(outcome);
    }

    /** Whether the DNSBL listed the client address at this AUTH. */
    public boolean dnsblListed() {
        return dnsblListings != null && !dnsblListings.isEmpty();
    }
}
