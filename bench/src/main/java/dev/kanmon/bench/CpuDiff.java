package dev.kanmon.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * CPU per delivered message between two {@link CpuSnapshot}s. A tree's total is
 * sum(after: own + reaped) - sum(before: own + reaped): exact as long as every process that ended
 * in between was reaped by a process of the same tree (postfix's master reaps smtpd and cleanup,
 * the postmaster its backends), because a parent's reaped time grows by exactly the child's own
 * and reaped time when it waits for it. Labels in {@code breakdown} are split by command name
 * (what the processes alive at the end used) plus one "exited" row for the processes that ended
 * during the window; the other labels are one row each. Labels in {@code apart} (the sink) get a
 * row but are not part of the side's total.
 */
final class CpuDiff {
    private record Proc(String label, ProcStat stat) {
    }

    private CpuDiff() {
    }

    static Report diff(String before, String after, long delivered, Set<String> breakdown, Set<String> apart) {
        Map<String, Proc> b = parse(before);
        Map<String, Proc> a = parse(after);
        Map<String, String> rootBefore = roots(before);
        Map<String, String> rootAfter = roots(after);
        Report r = new Report().put("cpu_delivered", delivered)
                .rate("cpu_window_s", (epoch(after) - epoch(before)) / 1000.0);
        List<String> restarted = new ArrayList<>();
        Map<String, Long> rows = new LinkedHashMap<>();
        double sideTicks = 0;
        for (String label : rootAfter.keySet()) {
            if (!rootAfter.get(label).equals(rootBefore.get(label))) {
                // A new root process (a service restarted in between): its tree's delta means nothing.
                restarted.add(label);
                continue;
            }
            long total = 0;
            Map<String, Long> byComm = new TreeMap<>();
            for (Proc p : a.values()) {
                if (!p.label().equals(label)) {
                    continue;
                }
                Proc old = b.get(p.stat().key());
                long own = p.stat().ownTicks() - (old == null ? 0 : old.stat().ownTicks());
                long reaped = p.stat().reapedTicks() - (old == null ? 0 : old.stat().reapedTicks());
                total += own + reaped;
                byComm.merge(p.stat().comm(), own, Long::sum);
            }
            for (Proc p : b.values()) {
                if (p.label().equals(label) && !a.containsKey(p.stat().key())) {
                    // Ended in between: its time up to "before" is in before's sum and again, via the
                    // parent's reaped time, in after's; subtract it once.
                    total -= p.stat().ownTicks() + p.stat().reapedTicks();
                }
            }
            if (breakdown.contains(label)) {
                long live = 0;
                for (Map.Entry<String, Long> e : byComm.entrySet()) {
                    rows.put(label + "." + e.getKey(), e.getValue());
                    live += e.getValue();
                }
                rows.put(label + ".exited", total - live);
            } else {
                rows.put(label, total);
            }
            if (!apart.contains(label)) {
                sideTicks += total;
            }
        }
        for (Map.Entry<String, Long> row : rows.entrySet()) {
            r.put("cpu_ms." + row.getKey(), fmt(ProcStat.millis(row.getValue())));
            r.put("cpu_ms_per_msg." + row.getKey(), perMessage(ProcStat.millis(row.getValue()), delivered));
        }
        r.put("cpu_ms.total", fmt(ProcStat.millis((long) sideTicks)));
        r.put("cpu_ms_per_msg.total", perMessage(ProcStat.millis((long) sideTicks), delivered));
        Map<String, Long> cgBefore = cgroups(before);
        Map<String, Long> cgAfter = cgroups(after);
        for (Map.Entry<String, Long> cg : cgAfter.entrySet()) {
            Long was = cgBefore.get(cg.getKey());
            if (was != null) {
                double ms = (cg.getValue() - was) / 1000.0;
                r.put("cpu_ms.cgroup." + cg.getKey(), fmt(ms));
                r.put("cpu_ms_per_msg.cgroup." + cg.getKey(), perMessage(ms, delivered));
            }
        }
        r.put("cpu_restarted", restarted.isEmpty() ? "none" : String.join(",", restarted));
        return r;
    }

    private static String perMessage(double ms, long delivered) {
        return delivered > 0 ? String.format(Locale.ROOT, "%.3f", ms / delivered) : "-";
    }

    private static String fmt(double ms) {
        return String.format(Locale.ROOT, "%.0f", ms);
    }

    private static Map<String, Proc> parse(String snapshot) {
        Map<String, Proc> m = new HashMap<>();
        for (String line : snapshot.split("\n")) {
            String[] f = line.split(" ");
            if (f[0].equals("proc") && f.length == 8) {
                ProcStat s = new ProcStat(Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]), f[5],
                        Long.parseLong(f[6]), Long.parseLong(f[7]));
                m.put(s.key(), new Proc(f[1], s));
            }
        }
        return m;
    }

    /** The first proc line of each label is its root. */
    private static Map<String, String> roots(String snapshot) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : snapshot.split("\n")) {
            String[] f = line.split(" ");
            if (f[0].equals("proc") && f.length == 8) {
                m.putIfAbsent(f[1], f[2] + "@" + f[4]);
            }
        }
        return m;
    }

    private static Map<String, Long> cgroups(String snapshot) {
        Map<String, Long> m = new HashMap<>();
        for (String line : snapshot.split("\n")) {
            String[] f = line.split(" ");
            if (f[0].equals("cgroup") && f.length == 3) {
                m.put(f[1], Long.parseLong(f[2]));
            }
        }
        return m;
    }

    private static long epoch(String snapshot) {
        for (String line : snapshot.split("\n")) {
            if (line.startsWith("epoch_ms ")) {
                return Long.parseLong(line.substring(9).trim());
            }
        }
        return 0;
    }
}
