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
}
