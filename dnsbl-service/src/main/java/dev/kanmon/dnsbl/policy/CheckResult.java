package dev.kanmon.dnsbl.policy;

import dev.kanmon.core.smtp.SmtpReply;
import java.util.List;

/**
 * The decision on one client address.
 *
 * @param verdict  pass, flag or block
 * @param score    sum of the weights of the matching sites (0 for a local-list decision)
 * @param listings every list that names the client, allow-lists included
 * @param reply    the {@code 554 5.7.1} reply for BLOCK, else null
 */
public record CheckResult(Verdict verdict, double score, List<Listing> listings, SmtpReply reply) {

    public CheckResult {
        listings = List.copyOf(listings);
    }
}
