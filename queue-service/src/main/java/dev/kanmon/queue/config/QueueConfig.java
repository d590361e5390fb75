package dev.kanmon.queue.config;

import dev.kanmon.core.queue.Topics;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the queue service. Defaults are the production values; {@code %local.} overrides are in application.properties. */
@ConfigMapping(prefix = "kanmon.queue")
public interface QueueConfig {

    /** Kafka topic names. */
    TopicsConfig topics();

    /** Retry schedule and scheduler. */
    RetryConfig retry();

    /** Delivery status notifications. */
    DsnConfig dsn();

    /** Metrics collection. */
    MetricsConfig metrics();

    /** Reading message bodies back from Kafka. */
    BodyConfig body();

    /** Removal of finished messages. */
    PurgeConfig purge();

    interface TopicsConfig {
        /** Accepted messages consumed by the intake; DSNs are produced here too. */
        @WithDefault(Topics.SUBMITTED)
        String submitted();

        /** Per-domain delivery requests for the delivery service. */
        @WithDefault(Topics.OUTBOUND)
        String outbound();

        /** Delivery results consumed by the queue. */
        @WithDefault(Topics.RESULTS)
        String results();
    }

    interface RetryConfig {
        /** Delay before the first retry after a temporary failure (Postfix {@code minimal_backoff_time}). */
        @WithDefault("5m")
        Duration initialBackoff();

        /** Upper bound of the doubling retry delay (Postfix {@code maximal_backoff_time}). */
        @WithDefault("4h")
        Duration maxBackoff();

        /** Age after which a temporarily failing recipient expires and is bounced (Postfix {@code maximal_queue_lifetime}). */
        @WithDefault("P5D")
        Duration maxLifetime();

        /** How often the scheduler looks for due deferred recipients, pending DSNs and delay warnings. */
        @WithDefault("10s")
        Duration pollInterval();

        /** Most recipients one scheduler pass claims per query; larger backlogs take several passes. */
        @WithDefault("500")
        int batchSize();
    }

    interface DsnConfig {
        /** Host name in Reporting-MTA, From (MAILER-DAEMON@…) and Message-ID of DSNs; the local host name when unset. */
        Optional<String> reportingMta();

        /** Age of a still-deferred message at which a delay warning DSN is sent once (NOTIFY=DELAY). */
        @WithDefault("4h")
        Duration delayWarningAfter();

        /** Most DSNs sent to one sender per {@link #rateWindow()}; further ones are dropped and counted (backscatter). */
        @WithDefault("100")
        int rateLimit();

        /** Window of the per-sender DSN rate limit. */
        @WithDefault("1h")
        Duration rateWindow();

        /** Largest original message returned in full (RET=FULL or no RET); larger ones are returned as headers only. */
        @WithDefault("50000")
        int maxReturnedSize();
    }

    interface MetricsConfig {
        /** How often the queue depth gauges are refreshed from PostgreSQL. */
        @WithDefault("15s")
        Duration refreshInterval();
    }

    interface BodyConfig {
        /** How long reading one body from the submitted topic may take before the retry or DSN is tried again later. */
        @WithDefault("10s")
        Duration readTimeout();
    }

    interface PurgeConfig {
        /**
         * How long a finished message (every recipient delivered, bounced or expired, no DSN pending) stays visible
         * to operators after its last change before it is deleted with its recipients and attempts.
         */
        @WithDefault("P7D")
        Duration retention();

        /** How often each replica looks for finished messages past the retention. */
        @WithDefault("10m")
        Duration interval();

        /** Most messages deleted per statement; a pass repeats until fewer are found. */
        @WithDefault("1000")
        int batchSize();
    }
}
