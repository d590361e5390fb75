package dev.kanmon.console.metrics;

import java.util.Map;
import java.util.Set;

/** Sums of the series of one metric in Prometheus' text format, optionally only those with a label value. */
final class PrometheusText {

    private PrometheusText() {
    }

    /** The sum of {@code name}'s series whose {@code label} is one of {@code values} (every series if null). */
    static double sum(String text, String name, String label, Set<String> values) {
        double total = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name)) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String metric = line.substring(0, brace >= 0 ? brace : space);
            if (!metric.equals(name) || space < 0) {
                continue;
            }
            if (label != null) {
                Map<String, String> labels = labels(brace >= 0 ? line.substring(brace + 1, line.indexOf('}')) : "");
                if (!values.contains(labels.get(label))) {
                    continue;
                }
            }
            try {
                total += Double.parseDouble(line.substring(space + 1).trim());
            } catch (NumberFormatException e) {
                // a NaN or malformed sample counts as nothing
            }
        }
        return total;
    }

    private static Map<String, String> labels(String inside) {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (String pair : inside.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim().replace("\"", ""));
            }
        }
        return out;
    }
}
