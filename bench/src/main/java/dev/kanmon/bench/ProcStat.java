package dev.kanmon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One line of /proc/PID/stat: own CPU (utime+stime, every thread, living or ended) and reaped
 * CPU (cutime+cstime: children that ended and were waited for, with their own reaped children).
 * (pid, start time) names a process, so a reused pid is never mistaken for the one sampled before.
 */
record ProcStat(long pid, long ppid, long startTicks, String comm, long ownTicks, long reapedTicks) {

    /** USER_HZ: the unit of /proc times; 100 on every Linux architecture a JVM runs on (getconf CLK_TCK). */
    static final long TICKS_PER_SECOND = 100;

    static Optional<ProcStat> read(long pid) {
        try {
            return Optional.of(parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
        } catch (IOException | RuntimeException gone) {
            return Optional.empty();
        }
    }

    /** The command name is in parentheses and may itself contain spaces and ')'; fields after the last ')' are fixed. */
    static ProcStat parse(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        String[] f = line.substring(close + 2).trim().split(" ");
        // f[0] is field 3 (state): ppid = field 4, utime..cstime = 14..17, starttime = 22.
        return new ProcStat(Long.parseLong(line.substring(0, open).trim()), Long.parseLong(f[1]),
                Long.parseLong(f[19]), line.substring(open + 1, close).replace(' ', '_'),
                Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14]));
    }

    String key() {
        return pid + "@" + startTicks;
    }

    static double millis(long ticks) {
        return ticks * 1000.0 / TICKS_PER_SECOND;
    }
}
