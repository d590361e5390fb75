package dev.kanmon.submission.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where the header fields of a raw message (CRLF line ends) are, by byte offset, so that fix-ups can insert
 * or replace whole fields and copy everything else unchanged.
 *
 * <p>Like Postfix, the header ends at the first empty line, at the first line that is neither a header field
 * nor a continuation, or at the end of the data; a first line that is not a header field means the whole
 * message is body.
 *
 * @param fields    the header fields in order
 * @param end       offset just after the last header field: where the separator is, or should be
 * @param separated whether an empty line follows the header (at {@code end})
 */
record HeaderBlock(List<Field> fields, int end, boolean separated) {

    /**
     * One header field, possibly folded over several lines.
     *
     * @param name       field name as written
     * @param start      offset of the name's first byte
     * @param valueStart offset just after the colon
     * @param end        offset after the CRLF ending the field's last line (or the data's end)
     */
    public record Field(String name, int start, int valueStart, int end) {

        public boolean is(String other) {
            return name.equalsIgnoreCase(other);
        }

        /** The raw bytes after the colon, folding and final CRLF included. */
        public byte[] rawValue(byte[] message) {
            return Arrays.copyOfRange(message, valueStart, end);
        }
    }

    public HeaderBlock {
        fields = List.copyOf(fields);
    }

    public static HeaderBlock parse(byte[] message) {
        List<Field> fields = new ArrayList<>();
        int pos = 0;
        while (pos < message.length) {
            int next = nextLine(message, pos);
            if (next == pos + 2 && message[pos] == '\r') {
                return new HeaderBlock(fields, pos, true);
            }
            boolean continuation = message[pos] == ' ' || message[pos] == '\t';
            if (continuation && !fields.isEmpty()) {
                Field last = fields.remove(fields.size() - 1);
                fields.add(new Field(last.name(), last.start(), last.valueStart(), next));
            } else {
                int colon = continuation ? -1 : fieldColon(message, pos, next);
                if (colon < 0) {
                    return new HeaderBlock(fields, pos, false);
                }
                fields.add(new Field(name(message, pos, colon), pos, colon + 1, next));
            }
            pos = next;
        }
        return new HeaderBlock(fields, message.length, false);
    }

    public boolean has(String name) {
        return fields.stream().anyMatch(f -> f.is(name));
    }

    /** Offset after the CRLF that ends the line starting at {@code pos}, or the data's end. */
    private static int nextLine(byte[] m, int pos) {
        for (int i = pos; i + 1 < m.length; i++) {
            if (m[i] == '\r' && m[i + 1] == '\n') {
                return i + 2;
            }
        }
        return m.length;
    }

    /**
     * The colon of {@code field-name *WSP ":"} (RFC 5322 with the obsolete white space before the colon), or
     * -1 when the line is not a header field.
     */
    private static int fieldColon(byte[] m, int pos, int lineEnd) {
        int i = pos;
        while (i < lineEnd && m[i] > 32 && m[i] < 127 && m[i] != ':') {
            i++;
        }
        if (i == pos) {
            return -1;
        }
        while (i < lineEnd && (m[i] == ' ' || m[i] == '\t')) {
            i++;
        }
        return i < lineEnd && m[i] == ':' ? i : -1;
    }

    private static String name(byte[] m, int pos, int colon) {
        int end = colon;
        while (m[end - 1] == ' ' || m[end - 1] == '\t') {
            end--;
        }
        return new String(m, pos, end - pos, StandardCharsets.US_ASCII);
    }
}
