package dev.kanmon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU of named process trees at one instant: each root and all its live descendants from /proc,
 * plus optionally a cgroup v2 {@code cpu.stat usage_usec}. Written as lines
 * {@code proc LABEL PID PPID START COMM OWN REAPED} and {@code cgroup LABEL USEC}, read back by
 * {@link CpuDiff}.
 */
final class CpuSnapshot {
    private CpuSnapshot() {
    }

    /** roots: label=pid pairs; cgroups: label=cgroup directory. */
    static String take(Map<String, Long> roots, Map<String, Path> cgroups) throws IOException {
        List<ProcStat> all = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(Path.of("/proc"))) {
            dirs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .forEach(n -> ProcStat.read(Long.parseLong(n)).ifPresent(all::add));
        }
        Map<Long, List<ProcStat>> children = new HashMap<>();
        Map<Long, ProcStat> byPid = new HashMap<>();
        for (ProcStat p : all) {
            children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
            byPid.put(p.pid(), p);
        }
        StringBuilder out = new StringBuilder("epoch_ms " + System.currentTimeMillis() + "\n");
        for (Map.Entry<String, Long> root : roots.entrySet()) {
            ProcStat r = byPid.get(root.getValue());
            if (r == null) {
                out.append("missing ").append(root.getKey()).append(' ').append(root.getValue()).append('\n');
                continue;
            }
            List<ProcStat> tree = new ArrayList<>(List.of(r));
            for (int i = 0; i < tree.size() && i < 100_000; i++) {
                tree.addAll(children.getOrDefault(tree.get(i).pid(), List.of()));
            }
            for (ProcStat p : tree) {
                out.append(String.join(" ", "proc", root.getKey(), Long.toString(p.pid()), Long.toString(p.ppid()),
                        Long.toString(p.startTicks()), p.comm(), Long.toString(p.ownTicks()),
                        Long.toString(p.reapedTicks()))).append('\n');
            }
        }
        for (Map.Entry<String, Path> cg : cgroups.entrySet()) {
            long usec = cgroupUsec(cg.getValue());
            if (usec >= 0) {
                out.append("cgroup ").append(cg.getKey()).append(' ').append(usec).append('\n');
            }
        }
        return out.toString();
    }

    static long cgroupUsec(Path dir) {
        try {
            for (String line : Files.readAllLines(dir.resolve("cpu.stat"))) {
                if (line.startsWith("usage_usec ")) {
                    return Long.parseLong(line.substring("usage_usec ".length()).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** "a=1,b=2" to an ordered map. */
    static <V> Map<String, V> pairs(String spec, java.util.function.Function<String, V> value) {
        Map<String, V> m = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return m;
        }
        for (String pair : spec.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && !pair.substring(eq + 1).isBlank()) {
                m.put(pair.substring(0, eq), value.apply(pair.substring(eq + 1)));
            }
        }
        return m;
    }
}
