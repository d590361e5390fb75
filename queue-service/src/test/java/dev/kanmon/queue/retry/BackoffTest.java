package dev.kanmon.queue.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMinutes(5), Duration.ofHours(4));

    @Test
    void doublesFromFiveMinutesUpToFourHours() {
        assertThat(backoff.after(1)).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.after(2)).isEqualTo(Duration.ofMinutes(10));
        assertThat(backoff.after(3)).isEqualTo(Duration.ofMinutes(20));
        assertThat(backoff.after(6)).isEqualTo(Duration.ofMinutes(160));
        assertThat(backoff.after(7)).isEqualTo(Duration.ofHours(4));
        assertThat(backoff.after(1000)).isEqualTo(Duration.ofHours(4));
    }

    @Test
    void zeroAttemptsCountAsTheFirst() {
        assertThat(backoff.after(0)).isEqualTo(Duration.ofMinutes(5));
    }
}
