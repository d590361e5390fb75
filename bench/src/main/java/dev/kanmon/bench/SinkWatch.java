package dev.kanmon.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Waits until the sink's dump directory (one file per message, written by smtp-sink -d) holds
 * {@code expect} messages carrying this run's tag, and reports when the last one arrived (its
 * file's modification time), so end-to-end time does not depend on the polling interval.
 */
final class SinkWatch {
    static final String TAG_HEADER = "X-Kanmon-Bench";
    /** A file without the tag is only written off once it is this old: smtp-sink may still be writing it. */
    private static final long SETTLE_MS = 2000;

    private final Path dir;
    private final String marker;
    private final int expect;
    private final long sinceEpochMs;
    private final boolean deleteMatched;

    /**
     * deleteMatched: remove this run's files once counted. A full run leaves over 100,000 messages
     * otherwise, and every later wait would list them all; files without the tag (other tests'
     * mail in the shared sink) are never touched.
     */
    SinkWatch(Path dir, String tag, int expect, long sinceEpochMs, boolean deleteMatched) {
        this.dir = dir;
        this.marker = TAG_HEADER + ": " + tag;
        this.expect = expect;
        this.sinceEpochMs = sinceEpochMs;
        this.deleteMatched = deleteMatched;
    }

    Report run(Duration limit) throws Exception {
        long deadline = System.currentTimeMillis() + limit.toMillis();
        Map<Path, Long> ours = new HashMap<>();
        Map<Path, Boolean> foreign = new HashMap<>();
        while (ours.size() < expect && System.currentTimeMillis() < deadline) {
            scan(ours, foreign);
            if (ours.size() < expect) {
                Thread.sleep(200);
            }
        }
        long first = ours.values().stream().mapToLong(Long::longValue).min().orElse(0);
        long last = ours.values().stream().mapToLong(Long::longValue).max().orElse(0);
        Report report = new Report().put("mode", "sink").put("sink_expected", expect).put("sink_count", ours.size())
                .put("sink_first_epoch_ms", first).put("sink_last_epoch_ms", last);
        if (!ours.isEmpty()) {
            double seconds = Math.max(1, last - sinceEpochMs) / 1000.0;
            report.rate("e2e_s", seconds).rate("e2e_per_s", ours.size() / seconds);
        }
        if (deleteMatched) {
            for (Path f : ours.keySet()) {
                Files.deleteIfExists(f);
            }
        }
        return report;
    }

    private void scan(Map<Path, Long> ours, Map<Path, Boolean> foreign) throws IOException {
        long now = System.currentTimeMillis();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (ours.containsKey(f) || foreign.containsKey(f)) {
                    continue;
                }
                long mtime;
                try {
                    mtime = Files.getLastModifiedTime(f).toMillis();
                } catch (IOException gone) {
                    continue;
                }
                if (mtime < sinceEpochMs - 1000) {
                    foreign.put(f, true);
                } else if (new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(marker)) {
                    ours.put(f, mtime);
                } else if (now - mtime > SETTLE_MS) {
                    foreign.put(f, true);
                }
            }
        }
    }
}
