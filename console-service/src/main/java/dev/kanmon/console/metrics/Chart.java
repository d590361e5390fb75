package dev.kanmon.console.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Line charts as inline SVG, drawn on the server: no chart library, no script, readable in any browser and by the
 * tests. One chart per series: a gauge as it was read, or a counter as a rate per minute between readings.
 */
public final class Chart {

    private static final int WIDTH = 480;
    private static final int HEIGHT = 120;

    private Chart() {
    }

    /** A gauge over time (e.g. the queue's depth). */
    public static String gauge(String id, String title, List<Sample> samples, ToDoubleFunction<Sample> value) {
        List<Double> points = new ArrayList<>();
        for (Sample s : samples) {
            points.add(value.applyAsDouble(s));
        }
        return svg(id, title, points, "");
    }

    /** A counter's increase per minute between consecutive readings (e.g. messages per minute). */
    public static String ratePerMinute(String id, String title, List<Sample> samples, ToDoubleFunction<Sample> counter) {
        List<Double> points = new ArrayList<>();
        for (int i = 1; i < samples.size(); i++) {
            double delta = counter.applyAsDouble(samples.get(i)) - counter.applyAsDouble(samples.get(i - 1));
            double seconds = Math.max(1, Duration.between(samples.get(i - 1).at(), samples.get(i).at()).toMillis()
                    / 1000.0);
            points.add(delta < 0 ? 0 : delta * 60 / seconds);
        }
        return svg(id, title, points, "/min");
    }

    static String svg(String id, String title, List<Double> points, String unit) {
        double max = points.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double top = max <= 0 ? 1 : max;
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < points.size(); i++) {
            double x = points.size() == 1 ? WIDTH : (double) i * WIDTH / (points.size() - 1);
            double y = HEIGHT - points.get(i) / top * (HEIGHT - 10);
            line.append(String.format(Locale.ROOT, "%s%.1f,%.1f", i == 0 ? "" : " ", x, y));
        }
        String last = points.isEmpty() ? "no data yet"
                : String.format(Locale.ROOT, "now %.0f%s, max %.0f%s", points.get(points.size() - 1), unit, max, unit);
        return """
                <figure class="chart" id="%s"><figcaption>%s <span class="muted">(%s)</span></figcaption>\
                <svg viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">\
                <rect width="%d" height="%d" class="plot"/><polyline points="%s" class="line"/></svg></figure>"""
                .formatted(id, escape(title), last, WIDTH, HEIGHT, WIDTH, HEIGHT, escape(title), WIDTH, HEIGHT, line);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;");
    }
}
