package dev.kanmon.submission.message;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Edits to a message by byte range, applied in one copy: every byte outside the edited ranges is carried
 * over unchanged. Ranges must not overlap; insertions at the same offset keep the order they were added in.
 */
final class Splices {

    private record Splice(int start, int end, byte[] replacement) {
    }

    private final List<Splice> splices = new ArrayList<>();

    void insert(int offset, byte[] bytes) {
        replace(offset, offset, bytes);
    }

    void replace(int start, int end, byte[] bytes) {
        splices.add(new Splice(start, end, bytes));
    }

    byte[] applyTo(byte[] source) {
        List<Splice> ordered = new ArrayList<>(splices);
        ordered.sort(Comparator.comparingInt(Splice::start)); // stable: same-offset inserts keep their order
        int size = source.length;
        for (Splice s : ordered) {
            size += s.replacement().length - (s.end() - s.start());
        }
        byte[] out = new byte[size];
        int from = 0;
        int to = 0;
        for (Splice s : ordered) {
            System.arraycopy(source, from, out, to, s.start() - from);
            to += s.start() - from;
            System.arraycopy(s.replacement(), 0, out, to, s.replacement().length);
            to += s.replacement().length;
            from = s.end();
        }
        System.arraycopy(source, from, out, to, source.length - from);
        return out;
    }
}
