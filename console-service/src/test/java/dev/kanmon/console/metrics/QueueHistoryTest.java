package dev.kanmon.console.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The queue-service's metrics text becomes a sample; counters become rates per minute in the charts. */
class QueueHistoryTest {

    private static final String METRICS = """
            # TYPE kanmon_queue_recipients gauge
            kanmon_queue_recipients{state="deferred"} 40.0
            kanmon_queue_recipients{state="delivering"} 2.0
            kanmon_queue_recipients{state="held"} 3.0
            kanmon_queue_recipients{state="delivered"} 922475.0
            kanmon_queue_results_applied_total{status="deferred"} 13.0
            kanmon_queue_results_applied_total{status="failed"} 2.0
            kanmon_queue_results_applied_total{status="delivered"} 126.0
            kanmon_queue_messages_intaken_total{dsn="false"} 111.0
            kanmon_queue_messages_intaken_total{dsn="true"} 5.0
            kanmon_queue_messages_intaken_totally_different 99.0
            """;

    @Test
    void sampleSumsTheSeries() {
        Sample s = QueueHistory.parse(Instant.EPOCH, METRICS);
        assertThat(s.intaken()).isEqualTo(116.0);
        assertThat(s.delivered()).isEqualTo(126.0);
        assertThat(s.deferred()).isEqualTo(13.0);
        assertThat(s.failed()).isEqualTo(2.0);
        assertThat(s.depth()).as("queued, delivering, deferred, held").isEqualTo(45.0);
        assertThat(s.held()).isEqualTo(3.0);
    }

    @Test
    void rateIsPerMinuteAndARestartCountsAsZero() {
        Instant t = Instant.parse("2026-12-03T20:00:00Z");
        List<Sample> samples = List.of(new Sample(t, 100, 0, 0, 0, 0, 0),
                new Sample(t.plusSeconds(15), 110, 0, 0, 0, 0, 0),
                new Sample(t.plusSeconds(30), 5, 0, 0, 0, 0, 0));
        String svg = Chart.ratePerMinute("c", "Messages", samples, Sample::intaken);
        assertThat(svg).contains("now 0/min, max 40/min").contains("<polyline points=\"0.0,10.0 480.0,120.0\"");
    }

    @Test
    void emptyHistorySaysSo() {
        assertThat(Chart.gauge("d", "Depth", List.of(), Sample::depth)).contains("no data yet");
    }
}
