package dev.kanmon.dnsbl.api;

import dev.kanmon.dnsbl.policy.CheckResult;
import dev.kanmon.dnsbl.policy.Listing;
import java.util.List;

/** The JSON of {@code GET /internal/v1/check} as fixed in docs/architecture.md. */
public record CheckResponse(String verdict, double score, List<Listing> listings, Reply reply) {

    /** The SMTP reply to send when blocking: code, enhanced status code and text. */
    public record Reply(int code, String enhanced, String text) {
    }

    static CheckResponse of(CheckResult result) {
        Reply reply = result.reply() == null ? null
                : new Reply(result.reply().code(), result.reply().enhanced(), String.join(" ", result.reply().lines()));
        return new CheckResponse(result.verdict().name(), result.score(), result.listings(), reply);
    }
}
