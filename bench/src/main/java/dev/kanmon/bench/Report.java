package dev.kanmon.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Results as ordered key=value lines: printed for people, written to a file for bench/run.sh. */
final class Report {
    private final Map<String, String> values = new LinkedHashMap<>();

    Report put(String key, Object value) {
        values.put(key, String.valueOf(value));
        return this;
    }

    Report rate(String key, double value) {
        return put(key, String.format(Locale.ROOT, "%.1f", value));
    }

    /** Percentiles in milliseconds; the histogram holds microseconds. */
    void latency(String prefix, Histogram h) {
        put(prefix + "_count", h.getTotalCount());
        for (double p : new double[] {50, 90, 99}) {
            put(prefix + "_p" + (int) p + "_ms", millis(h.getValueAtPercentile(p)));
        }
        put(prefix + "_max_ms", millis(h.getMaxValue()));
    }

    private static String millis(long micros) {
        return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }

    String text() {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
    }

    void write(Path file) throws IOException {
        Files.writeString(file, text());
    }
}
