package dev.kanmon.dnsbl.policy;

import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.dnsbl.query.ClientAddress;
import dev.kanmon.dnsbl.query.ZoneAnswer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Postscreen-style weighted scoring: the weights of the sites whose answer passes their filter are added up; BLOCK at
 * or above the threshold, FLAG at or above the flag threshold, else PASS.
 */
public final class Scoring {

    /** Reply lines are at most 512 octets (RFC 5321 §4.5.3.1.5); leave room for code and client address. */
    private static final int MAX_REASON = 300;

    private final List<Site> sites;
    private final double threshold;
    private final double flagThreshold;

    public Scoring(List<Site> sites, double threshold, double flagThreshold) {
        if (flagThreshold > threshold) {
            throw new IllegalArgumentException("flag threshold " + flagThreshold + " above block threshold " + threshold);
        }
        this.sites = List.copyOf(sites);
        this.threshold = threshold;
        this.flagThreshold = flagThreshold;
    }

    public List<Site> sites() {
        return sites;
    }

    /**
     * @param answers per zone, what it said; a zone missing from the map did not answer and counts as not listed
     */
    public CheckResult decide(ClientAddress client, Map<String, ZoneAnswer> answers) {
        double score = 0;
        List<Listing> listings = new ArrayList<>();
        Site worst = null;
        Listing worstListing = null;
        for (Site site : sites) {
            ZoneAnswer answer = answers.get(site.zone());
            String code = answer == null ? null
                    : answer.codes().stream().filter(site.filter()::matches).findFirst().orElse(null);
            if (code == null) {
                continue;
            }
            score += site.weight();
            Listing listing = new Listing(site.zone(), code, answer.reason());
            listings.add(listing);
            if (worst == null || site.weight() > worst.weight()) {
                worst = site;
                worstListing = listing;
            }
        }
        if (score >= threshold && worstListing != null) {
            return new CheckResult(Verdict.BLOCK, score, listings, blockReply(client, worstListing));
        }
        return new CheckResult(score >= flagThreshold && !listings.isEmpty() ? Verdict.FLAG : Verdict.PASS, score,
                listings, null);
    }

    /** Postscreen's wording, plus the list's own explanation (usually a lookup URL) as Postfix' smtpd gives it. */
    static SmtpReply blockReply(ClientAddress client, Listing listing) {
        StringBuilder text = new StringBuilder("Service unavailable; client [").append(client.text())
                .append("] blocked using ").append(listing.zone());
        String reason = sanitize(listing.reason());
        if (!reason.isEmpty()) {
            text.append("; ").append(reason);
        }
        return SmtpReply.of(554, "5.7.1", text.toString());
    }

    /** A TXT record is remote data: keep it to printable ASCII on one line so it cannot break the SMTP reply. */
    static String sanitize(String reason) {
        if (reason == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(Math.min(reason.length(), MAX_REASON));
        for (int i = 0; i < reason.length() && sb.length() < MAX_REASON; i++) {
            char c = reason.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : ' ');
        }
        return sb.toString().strip();
    }
}
