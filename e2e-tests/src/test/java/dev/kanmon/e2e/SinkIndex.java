package dev.kanmon.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Copies per token in the sink's dump directory, for thousands of messages: the same test as
 * {@link Sink#count(String)} (a dump whose message carries {@code X-E2E-Token: <token>}) but each dump file is
 * read once instead of once per token. Only complete copies count: the token in the message's own header
 * (not in a DSN's returned original) and the body's last line {@code end <token>}. A dump without its end
 * line is re-read on the next refresh while it is young (smtp-sink may still be writing it) and counted as
 * {@link #truncated()} once it is old (a transaction that broke off during DATA).
 */
final class SinkIndex {

    /** Result of comparing the accepted tokens with the sink. */
    record Check(int expected, int delivered, List<String> missing, Map<String, Integer> duplicates, int extraCopies) {
        boolean complete() {
            return missing.isEmpty();
        }
    }

    private static final String TOKEN_HEADER = "X-E2E-Token: ";
    private final long notBeforeMillis;
    private final Set<Path> finished = new HashSet<>();
    private final Map<String, Integer> copies = new HashMap<>();
    private int truncated;

    /** Ignores dumps last written more than a minute before {@code since} (they cannot hold our tokens). */
    SinkIndex(Instant since) {
        this.notBeforeMillis = since.toEpochMilli() - 60_000;
    }

    synchronized void refresh() {
        List<Path> files;
        try (Stream<Path> s = Files.isDirectory(E2eStack.sinkDir()) ? Files.list(E2eStack.sinkDir()) : Stream.empty()) {
            files = s.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long now = System.currentTimeMillis();
        for (Path f : files) {
            if (finished.contains(f)) {
                continue;
            }
            long modified;
            String text;
            try {
                modified = Files.getLastModifiedTime(f).toMillis();
                if (modified < notBeforeMillis) {
                    finished.add(f);
                    continue;
                }
                text = Files.readString(f, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
            } catch (IOException e) {
                continue; // removed or unreadable right now; try again next time
            }
            int headerEnd = text.indexOf("\n\n");
            String header = headerEnd < 0 ? text : text.substring(0, headerEnd + 1);
            int at = header.startsWith(TOKEN_HEADER) ? 0 : header.indexOf("\n" + TOKEN_HEADER);
            if (at < 0) {
                if (headerEnd >= 0 || now - modified > 30_000) {
                    finished.add(f); // not one of ours (or not a test message at all)
                }
                continue;
            }
            int start = text.indexOf(TOKEN_HEADER, at) + TOKEN_HEADER.length();
            int end = text.indexOf('\n', start);
            String token = (end < 0 ? text.substring(start) : text.substring(start, end)).trim();
            String body = headerEnd < 0 ? "" : text.substring(headerEnd);
            if (body.contains("\nend " + token + "\n") || body.endsWith("\nend " + token)) {
                copies.merge(token, 1, Integer::sum);
                finished.add(f);
            } else if (now - modified > 30_000) {
                truncated++;
                finished.add(f);
            }
        }
    }

    synchronized int copies(String token) {
        return copies.getOrDefault(token, 0);
    }

    /** Dumps that carry a test token but broke off before the end of the message. */
    synchronized int truncated() {
        return truncated;
    }

    /** Refreshes and compares: every token should have exactly one copy. */
    synchronized Check check(Collection<String> tokens) {
        refresh();
        List<String> missing = new ArrayList<>();
        Map<String, Integer> duplicates = new LinkedHashMap<>();
        int delivered = 0;
        int extra = 0;
        for (String t : tokens) {
            int n = copies(t);
            if (n == 0) {
                missing.add(t);
            } else {
                delivered++;
                if (n > 1) {
                    duplicates.put(t, n);
                    extra += n - 1;
                }
            }
        }
        return new Check(tokens.size(), delivered, missing, duplicates, extra);
    }
}
