package dev.kanmon.auth.quota;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Per-subscriber outbound throttling (R7). */
@ConfigMapping(prefix = "kanmon.auth.quota")
public interface QuotaConfig {

    /**
     * Whether limits are enforced. When false every request is allowed but still counted, so operators can
     * watch a new plan's effect before switching it on.
     */
    @WithDefault("true")
    boolean enforce();

    /** Plan for subscribers that have no row of their own. It must exist in the plan table. */
    @WithDefault("default")
    String defaultPlan();

    /**
     * Lifetime of a concurrent-session lease. The submission service releases its lease at the end of the
     * session; a pod that dies leaves its leases to expire after this long.
     */
    @WithDefault("PT30M")
    Duration sessionLeaseTtl();

    /** How long finished counter windows are kept for the top-sender and throttled reports. */
    @WithDefault("P2D")
    Duration counterRetention();

    /** Whether the {@code quota} schema is migrated (Flyway, own history table) at start-up. */
    @WithDefault("true")
    boolean migrateAtStart();

    /**
     * How long a subscriber's limits are kept in memory. Changes through the operator API (or any write to the
     * plan and subscriber tables) evict them at once on every replica (PostgreSQL NOTIFY); this bound only
     * matters if a notification is lost.
     */
    @WithDefault("PT1M")
    Duration limitsCacheTtl();

    /** Escrow leases: blocks of quota a submission session spends in memory (docs/throttling.md). */
    Escrow escrow();

    /** Sizes and lifetime of the blocks handed to submission sessions. */
    interface Escrow {

        /** Messages reserved per block while the subscriber is far from every message limit. */
        @WithDefault("10")
        int messages();

        /** Recipients reserved per block while the subscriber is far from the daily recipient limit. */
        @WithDefault("20")
        int recipients();

        /**
         * Near a limit a block is at most the room left divided by this (and at least the one unit needed), so
         * one session never holds most of what is left and parallel sessions of the user keep getting units.
         */
        @WithDefault("4")
        int divisor();

        /**
         * How long a session may spend a block (never past the end of its minute). Afterwards the next MAIL or
         * RCPT asks the ledger again, so a suspension or a lowered limit reaches open sessions within this time.
         */
        @WithDefault("PT5S")
        Duration validity();

        /**
         * When a request is refused only because other sessions of the user still hold unexpired blocks, the
         * ledger asks the session to try again after at most this long instead of refusing for good.
         */
        @WithDefault("PT0.1S")
        Duration retry();
    }
}
