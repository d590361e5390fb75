package dev.kanmon.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** {@code --key value} and bare {@code --flag} options; unknown keys are an error, so a typo never silently runs defaults. */
final class Args {
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> used = new TreeSet<>();

    Args(String[] argv, int from) {
        for (int i = from; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
            String key = a.substring(2);
            boolean hasValue = i + 1 < argv.length && !argv[i + 1].startsWith("--");
            values.put(key, hasValue ? argv[++i] : "true");
        }
    }

    String str(String key, String def) {
        used.add(key);
        return values.getOrDefault(key, def);
    }

    int integer(String key, int def) {
        return Integer.parseInt(str(key, Integer.toString(def)));
    }

    boolean flag(String key) {
        return Boolean.parseBoolean(str(key, "false"));
    }

    /** Call after every option was read. */
    void rejectUnknown() {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(used);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown options: " + unknown);
        }
    }
}
