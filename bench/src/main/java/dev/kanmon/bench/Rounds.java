package dev.kanmon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The reports of the same step over several rounds, reduced to one: for every numeric key its
 * median, and {@code KEY.min}, {@code KEY.max}, {@code KEY.n}, so one noisy round neither decides
 * the result nor disappears from it. Non-numeric keys keep the first round's value (and
 * {@code KEY.all} when the rounds disagree).
 */
final class Rounds {
    private Rounds() {
    }

    static Report reduce(List<Path> files) throws IOException {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (Path f : files) {
            if (!Files.exists(f)) {
                continue;
            }
            for (String line : Files.readAllLines(f)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
                }
            }
        }
        Report r = new Report().put("rounds", files.stream().filter(Files::exists).count());
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
            List<Double> numbers = new ArrayList<>();
            for (String v : e.getValue()) {
                if (v.equals("-")) {
                    // A round without this figure (nothing delivered, say): left out, and .n says so.
                    continue;
                }
                try {
                    numbers.add(Double.parseDouble(v));
                } catch (NumberFormatException notNumeric) {
                    numbers = null;
                    break;
                }
            }
            String key = e.getKey();
            if (numbers == null || numbers.isEmpty()) {
                r.put(key, e.getValue().get(0));
                if (e.getValue().stream().distinct().count() > 1) {
                    r.put(key + ".all", String.join(";", e.getValue()));
                }
                continue;
            }
            numbers.sort(Double::compare);
            int n = numbers.size();
            double median = n % 2 == 1 ? numbers.get(n / 2) : (numbers.get(n / 2 - 1) + numbers.get(n / 2)) / 2;
            r.put(key, num(median));
            r.put(key + ".min", num(numbers.get(0)));
            r.put(key + ".max", num(numbers.get(n - 1)));
            r.put(key + ".n", n);
        }
        return r;
    }

    /** Whole numbers as such; otherwise three significant digits or at least one decimal, enough for a table. */
    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
    }
}
