package dev.kanmon.submission.dnsbl;

import dev.kanmon.core.smtp.SmtpReply;
import java.util.List;

/**
 * The dnsbl-service's verdict on a client address.
 *
 * @param verdict  pass, flag (accept but mark) or block
 * @param score    the weighted score that decided it
 * @param reply    the reply to send when blocking ({@code 554 5.7.1 … listed by …: <TXT reason>}), else null
 * @param listings human-readable "zone: reason" entries, for logs and trace headers
 */
public record ScreenVerdict(Verdict verdict, double score, SmtpReply reply, List<String> listings) {

    /** Returned when the dnsbl-service did not answer: mail is never blocked by an outage. */
    public static final ScreenVerdict PASS_UNCHECKED = new ScreenVerdict(Verdict.PASS, 0, null, List.of());

    public ScreenVerdict {
        listings = List.copyOf(listings);
    }

    public enum Verdict {
        PASS, FLAG, BLOCK
    }
}
