package dev.kanmon.delivery.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.delivery.config.DeliveryConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    /** Defaults: 10 connections, no rate; docomo.ne.jp: 2 connections, 6 messages a minute. */
    static DestinationLimits limits() {
        DeliveryConfig.DomainLimitsOverride docomo = new DeliveryConfig.DomainLimitsOverride() {
            @Override
            public Optional<Integer> connections() {
                return Optional.of(2);
            }

            @Override
            public Optional<Integer> rateMessages() {
                return Optional.of(6);
            }

            @Override
            public Optional<Duration> ratePeriod() {
                return Optional.empty();
            }
        };
        return new DestinationLimits(new DestinationLimits.Limits(10, 0, Duration.ofMinutes(1)), Map.of("docomo.ne.jp", docomo));
    }

    @Test
    void letsABurstOfOnePeriodPassThenSpacesMessages() {
        DestinationLimits limits = limits();
        RateLimiter limiter = new RateLimiter(limits);
        long now = 1_000_000_000_000L;
        for (int i = 0; i < 6; i++) {
            assertThat(limiter.tryAcquire("docomo.ne.jp", now)).isZero();
        }
        // the 7th has to wait one emission interval (60 s / 6); asking again reserves nothing, so the answer stays
        assertThat(limiter.tryAcquire("docomo.ne.jp", now)).isEqualTo(TimeUnit.SECONDS.toNanos(10));
        assertThat(limiter.tryAcquire("docomo.ne.jp", now)).isEqualTo(TimeUnit.SECONDS.toNanos(10));
        assertThat(limiter.tryAcquire("docomo.ne.jp", now + TimeUnit.SECONDS.toNanos(4))).isEqualTo(TimeUnit.SECONDS.toNanos(6));
        // once the interval has passed, one message goes and the next waits a full interval again
        long later = now + TimeUnit.SECONDS.toNanos(10);
        assertThat(limiter.tryAcquire("docomo.ne.jp", later)).isZero();
        assertThat(limiter.tryAcquire("docomo.ne.jp", later)).isEqualTo(TimeUnit.SECONDS.toNanos(10));
        // domains without a rate are never delayed
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.tryAcquire("other.test", now)).isZero();
        }
    }

    @Test
    void overridesReplaceOnlyWhatTheySet() {
        DestinationLimits limits = limits();
        assertThat(limits.of("docomo.ne.jp")).isEqualTo(new DestinationLimits.Limits(2, 6, Duration.ofMinutes(1)));
        assertThat(limits.of("example.test")).isEqualTo(new DestinationLimits.Limits(10, 0, Duration.ofMinutes(1)));
    }
}
