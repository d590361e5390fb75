package dev.kanmon.queue.abuse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A subscriber's score and the signals it is made of (only signals that add points).
 *
 * @param score   sum of the points, traffic capped when no access signal is present
 * @param signals the signals with points
 */
public record Assessment(int score, List<Signal> signals) {

    public Assessment {
        signals = List.copyOf(signals);
    }

    /** Signal name to value, as recorded in the audit and published. */
    public Map<String, Double> values() {
        Map<String, Double> out = new LinkedHashMap<>();
        signals.forEach(s -> out.put(s.name(), s.value()));
        return out;
    }

    /** "new_network=1 (+30), recipient_domains=12 (+32)": the reason in words. */
    public String describe() {
        StringBuilder b = new StringBuilder("score ").append(score);
        String sep = ": ";
        for (Signal s : signals) {
            b.append(sep).append(s.name()).append('=').append(format(s.value())).append(" (+").append(s.points())
                    .append(')');
            sep = ", ";
        }
        return b.toString();
    }

    private static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.2f", v);
    }
}
