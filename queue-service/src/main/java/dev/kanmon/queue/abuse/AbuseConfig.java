package dev.kanmon.queue.abuse;

import dev.kanmon.core.abuse.AbuseTopics;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Abuse automation: signals, score and graduated response (docs/abuse.md, "Tuning"). */
@ConfigMapping(prefix = "kanmon.queue.abuse")
public interface AbuseConfig {

    /** Whether signals are recorded and the response applied; off, nothing is observed and nothing held. */
    @WithDefault("true")
    boolean enabled();

    /** Users never scored nor acted on (service accounts, monitoring probes). */
    Optional<List<String>> exemptUsers();

    /** Length of the sliding window the traffic and login signals count over. */
    @WithDefault("1h")
    Duration window();

    /** Granularity of the window's counters: the window slides by this much. */
    @WithDefault("10m")
    Duration slot();

    /** How long a client network stays known for a user after its last login (a login from elsewhere is new). */
    @WithDefault("P30D")
    Duration networkMemory();

    /** Prefix length that makes an IPv4 client address a network. */
    @WithDefault("24")
    int ipv4Prefix();

    /** Prefix length that makes an IPv6 client address a network. */
    @WithDefault("48")
    int ipv6Prefix();

    /** Failed logins of a user within {@link #window()} before a success that make it credential stuffing. */
    @WithDefault("5")
    int stuffingFailures();

    /** How long a successful credential stuffing keeps counting in the score. */
    @WithDefault("24h")
    Duration stuffingMemory();

    /** Weight of the latest hour in the exponentially weighted hourly baseline of messages and recipients. */
    @WithDefault("0.05")
    double baselineAlpha();

    /** Messages per window a subscriber may always send without a volume signal, whatever the baseline. */
    @WithDefault("30")
    int volumeFloor();

    /** Recipients per window a subscriber may always address without a volume signal. */
    @WithDefault("100")
    int recipientsFloor();

    /** Distinct recipient domains per window that never count. */
    @WithDefault("4")
    int domainsFree();

    /** Distinct header From display names per window that never count. */
    @WithDefault("3")
    int fromNamesFree();

    /** Distinct subjects per window that never count. */
    @WithDefault("20")
    int subjectsFree();

    /** Delivery outcomes per window below which the rejection share is not scored (too few to mean anything). */
    @WithDefault("10")
    int outcomesMinimum();

    /** Most distinct values (domains, names, subjects) stored per user, kind and slot; beyond it the signal is at its cap. */
    @WithDefault("200")
    int distinctCap();

    /** Points per signal (the traffic signals are the same for all traffic and for traffic from new networks). */
    Weights weights();

    /** Score thresholds of the graduated response. */
    Thresholds thresholds();

    /** Plan applied by a slow-down; migrated into the auth-service's plans (docs/abuse.md). */
    @WithDefault("abuse-slowdown")
    String slowdownPlan();

    /** How long a slow-down lasts; it ends on its own afterwards once the score is below the slow-down threshold. */
    @WithDefault("24h")
    Duration slowdownLength();

    /**
     * After an operator undoes a step, the score the subscriber had then is forgiven for this long: only new signals
     * beyond it escalate again.
     */
    @WithDefault("24h")
    Duration pardonLength();

    /**
     * Least time between two evaluations of one user after its messages or delivery outcomes on one replica; what comes
     * in between is evaluated at the end of the interval. Logins are evaluated at once.
     */
    @WithDefault("2s")
    Duration evaluationInterval();

    /** How often the expiry of slow-downs and the pruning of old counters run. */
    @WithDefault("1m")
    Duration sweepInterval();

    /** Envelope and header sender of the notices to subscribers; {@code postmaster@<reporting MTA>} when unset. */
    Optional<String> noticeFrom();

    /** Kafka topic of the auth-service's login observations. */
    @WithDefault(AbuseTopics.LOGINS)
    String loginsTopic();

    /** Kafka topic the decisions are published on (applied by the auth-service, read by the abuse desk). */
    @WithDefault(AbuseTopics.EVENTS)
    String eventsTopic();

    interface Weights {
        /** Points for each login from a network new for the user within the window. */
        @WithDefault("30")
        int newNetwork();

        /** Points for each distinct network beyond two that the user logged in from within the window. */
        @WithDefault("10")
        int extraNetwork();

        /** Points for a successful login after a burst of failures (credential stuffing that worked). */
        @WithDefault("35")
        int stuffing();

        /**
         * Points when the user logged in within the window from a client address the DNSBL listed at AUTH (flagged or
         * blocked by the dnsbl-service's policy); an access signal, so alone it stays at {@code observe-only-cap}.
         */
        @WithDefault("20")
        int dnsblListed();

        /** Points per multiple of the baseline (or floor) the window's messages exceed it by; capped at 3 multiples. */
        @WithDefault("5")
        int volume();

        /** Points when the window's messages reach half of the plan's hourly limit; twice as many from 90 %. */
        @WithDefault("10")
        int plan();

        /** Points per multiple of the baseline (or floor) the window's recipients exceed it by; capped at 3 multiples. */
        @WithDefault("5")
        int recipients();

        /** Points per distinct recipient domain beyond {@code domains-free}; capped at 15 domains. */
        @WithDefault("4")
        int domain();

        /** Points at a 100 % share of rejected (5xx), reputation-deferred or bounced recipients; proportional below. */
        @WithDefault("30")
        int rejected();

        /** Points per distinct From display name beyond {@code from-names-free}; capped at 10. */
        @WithDefault("2")
        int fromName();

        /** Points per 10 distinct subjects beyond {@code subjects-free}; capped at 5 times. */
        @WithDefault("2")
        int subjects();

        /**
         * Highest score while no mail sent from a network new for the user scores: access signals (new network,
         * networks, stuffing, DNSBL listing at AUTH) and traffic signals alone only lead to observation as long as this is below the
         * slow-down threshold.
         */
        @WithDefault("35")
        int observeOnlyCap();
    }

    interface Thresholds {
        /** Score from which the subscriber gets the slow-down plan. */
        @WithDefault("40")
        int slowDown();

        /** Score from which new messages are held in the queue for review. */
        @WithDefault("60")
        int hold();

        /** Score from which the subscriber is notified and the abuse desk alerted. */
        @WithDefault("75")
        int notification();

        /** Score from which the subscriber is suspended (AUTH refused, open sessions ended). */
        @WithDefault("90")
        int suspend();
    }
}
