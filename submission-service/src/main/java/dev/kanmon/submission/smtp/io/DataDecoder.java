package dev.kanmon.submission.smtp.io;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Decodes the DATA phase (RFC 5321 §4.5.2) as a byte-level state machine that survives any split of the
 * input across TCP reads.
 *
 * <p>The end of data is {@code CRLF "." CRLF} and nothing else. A line only starts after a real CRLF, so
 * none of the SMTP smuggling sequences ({@code LF.LF}, {@code LF.CRLF}, {@code CR.CRLF}, {@code CRLF.CR},
 * {@code CRLF.LF}, …, CVE-2023-51764/5/6) ends the data or un-stuffs a dot. Bare CR and bare LF are recorded
 * (policy {@code reject}) or turned into CRLF (policy {@code normalize}); either way the stored message has
 * CRLF line ends only. Content beyond the size limit is counted but not stored.
 */
public final class DataDecoder {

    private enum State {
        /** After CRLF (or at the start): a dot here is stuffing or the terminator. */
        LINE_START,
        TEXT,
        /** Saw CR in a line. */
        CR,
        /** Saw a dot at the start of a line. */
        DOT,
        /** Saw {@code "." CR} at the start of a line. */
        DOT_CR
    }

    private static final ByteProcessor FIND_CR_OR_LF = b -> b != '\r' && b != '\n';

    private final ByteBuf content;
    private final long maxSize;
    private final boolean normalize;
    private State state = State.LINE_START;
    private long size;
    private boolean bareLineEnding;

    /**
     * @param content   where the unstuffed message goes (CRLF line ends, without the terminating {@code .CRLF})
     * @param maxSize   octets to store at most; the rest is counted
     * @param normalize turn bare CR/LF into CRLF instead of only recording them
     */
    public DataDecoder(ByteBuf content, long maxSize, boolean normalize) {
        this.content = content;
        this.maxSize = maxSize;
        this.normalize = normalize;
    }

    /**
     * Consumes input up to and including the end-of-data marker.
     *
     * @return true when the end of data was consumed; the bytes after it stay unread in {@code in}
     */
    public boolean decode(ByteBuf in) {
        int i = in.readerIndex();
        int end = in.writerIndex();
        while (i < end) {
            byte b = in.getByte(i);
            switch (state) {
                case LINE_START -> {
                    if (b == '.') {
                        state = State.DOT;
                        i++;
                    } else {
                        state = State.TEXT;
                    }
                }
                case TEXT -> {
                    int stop = in.forEachByte(i, end - i, FIND_CR_OR_LF);
                    int runEnd = stop < 0 ? end : stop;
                    emit(in, i, runEnd - i);
                    i = runEnd;
                    if (stop >= 0) {
                        if (in.getByte(stop) == '\r') {
                            state = State.CR;
                        } else {
                            bare();
                        }
                        i++;
                    }
                }
                case CR -> {
                    if (b == '\n') {
                        emitCrLf();
                        state = State.LINE_START;
                        i++;
                    } else {
                        bare();
                        state = State.TEXT;
                    }
                }
                case DOT -> {
                    // RFC 5321 §4.5.2: a leading dot is removed; only "." CRLF alone ends the data.
                    if (b == '\r') {
                        state = State.DOT_CR;
                        i++;
                    } else {
                        state = State.TEXT;
                    }
                }
                case DOT_CR -> {
                    if (b == '\n') {
                        in.readerIndex(i + 1);
                        return true;
                    }
                    bare();
                    state = State.TEXT;
                }
            }
        }
        in.readerIndex(end);
        return false;
    }

    /** Message octets seen so far (stored or not), with CRLF line ends. */
    public long size() {
        return size;
    }

    /** Whether the content exceeded the size limit. */
    public boolean overflow() {
        return size > maxSize;
    }

    /** Whether a bare CR or LF was seen. */
    public boolean bareLineEnding() {
        return bareLineEnding;
    }

    private void bare() {
        bareLineEnding = true;
        if (normalize) {
            emitCrLf();
        }
    }

    private void emit(ByteBuf in, int index, int length) {
        if (length == 0) {
            return;
        }
        size += length;
        if (size <= maxSize) {
            content.writeBytes(in, index, length);
        }
    }

    private void emitCrLf() {
        size += 2;
        if (size <= maxSize) {
            content.writeByte('\r').writeByte('\n');
        }
    }
}
