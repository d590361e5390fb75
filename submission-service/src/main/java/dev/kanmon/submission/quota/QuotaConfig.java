package dev.kanmon.submission.quota;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How the submission service asks the auth-service's quota ledger: at AUTH for a session lease and a first
 * escrow block, then only when a session's block is spent or expired.
 */
@ConfigMapping(prefix = "kanmon.submission.quota")
public interface QuotaConfig {

    /** Whether per-user throttling is consulted at all (R7). Port-25 relays from trusted networks never are. */
    @WithDefault("true")
    boolean enabled();

    /** Base URL of the auth-service, which owns the quota ledger. */
    @WithDefault("http://auth-service:8080")
    String url();

    /** Time allowed for one quota call before {@link #onUnavailable()} applies. */
    @WithDefault("PT2S")
    Duration timeout();

    /**
     * What to do when the ledger cannot answer: {@code tempfail} answers {@code 451 4.3.0} (MAIL/RCPT) or
     * {@code 454 4.7.0} (AUTH) so the client retries later; {@code allow} lets the mail through unthrottled and
     * counts it in {@code kanmon.submission.quota.unavailable}. Never silently unlimited by default.
     */
    @WithDefault("tempfail")
    OnUnavailable onUnavailable();

    /**
     * Longest a MAIL or RCPT waits while the ledger says that other sessions of the same user still hold units
     * that may come back (their blocks expire within the ledger's {@code escrow.validity}). Past it the refusal
     * is answered. Only a user at a limit ever waits.
     */
    @WithDefault("PT10S")
    Duration maxEscrowWait();

    /**
     * How long the ends of sessions are gathered before their leases go back to the ledger together, in one call
     * and one transaction (group commit). Nobody waits for a release; 0 sends each at once.
     */
    @WithDefault("20ms")
    Duration closeLinger();

    /** Most session ends sent in one call; a full batch goes at once. */
    @WithDefault("256")
    int closeBatchSize();

    /** Fallback policy when the quota ledger is unreachable. */
    enum OnUnavailable {
        TEMPFAIL, ALLOW
    }
}
