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
            boolean integral = e.getValue().stream().noneMatch(v -> v.contains("."));
            r.put(key, num(median, integral && n % 2 == 1));
            r.put(key + ".min", num(numbers.get(0), integral));
            r.put(key + ".max", num(numbers.get(n - 1), integral));
            r.put(key + ".n", n);
        }
        return r;
    }

    private static String num(double v, boolean integral) {
        return integral ? Long.toString(Math.round(v)) : String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "").replaceAll("\\.$", ".0");
    }
}
