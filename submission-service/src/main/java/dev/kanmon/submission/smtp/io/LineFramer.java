package dev.kanmon.submission.smtp.io;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Splits command lines out of the inbound bytes, in the manner of Netty's {@code LineBasedFrameDecoder}: it
 * scans for LF in place, hands out each line once, and when a line grows past the limit discards up to the
 * next LF instead of buffering it, so a 1 MB line costs no memory and the session carries on.
 * Lines end in LF with an optional CR before it (clients that send bare LF for commands are tolerated; the
 * strict rules apply to message content, where smuggling happens).
 */
public final class LineFramer {

    /** What {@link #next(ByteBuf)} found. */
    public enum Frame {
        /** A complete line is in {@link #line()}. */
        LINE,
        /** A line longer than the limit was skipped. */
        TOO_LONG,
        /** A complete line that is not valid UTF-8 was skipped. */
        MALFORMED,
        /** No complete line yet: keep the unread bytes and wait. */
        INCOMPLETE
    }

    private final int maxLength;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private boolean discarding;
    private String line;
    private int lineOctets;

    /** @param maxLength the longest line in octets, without its CRLF */
    public LineFramer(int maxLength) {
        this.maxLength = maxLength;
    }

    public Frame next(ByteBuf in) {
        int start = in.readerIndex();
        int lf = in.forEachByte(start, in.readableBytes(), ByteProcessor.FIND_LF);
        if (discarding) {
            if (lf < 0) {
                in.skipBytes(in.readableBytes());
                return Frame.INCOMPLETE;
            }
            in.readerIndex(lf + 1);
            discarding = false;
            return Frame.TOO_LONG;
        }
        if (lf < 0) {
            if (in.readableBytes() > maxLength + 1) {
                discarding = true;
                in.skipBytes(in.readableBytes());
            }
            return Frame.INCOMPLETE;
        }
        int end = lf > start && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        in.readerIndex(lf + 1);
        if (end - start > maxLength) {
            return Frame.TOO_LONG;
        }
        lineOctets = end - start;
        line = decode(in, start, lineOctets);
        return line == null ? Frame.MALFORMED : Frame.LINE;
    }

    /** The line found by the last {@link Frame#LINE}, without its line ending. */
    public String line() {
        return line;
    }

    /** Its length in octets. */
    public int lineOctets() {
        return lineOctets;
    }

    private String decode(ByteBuf in, int index, int length) {
        boolean ascii = true;
        for (int i = index; i < index + length; i++) {
            if (in.getByte(i) < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            // The common case: one String, no decoder state.
            return in.toString(index, length, StandardCharsets.US_ASCII);
        }
        ByteBuffer bytes = in.nioBuffer(index, length);
        try {
            CharBuffer chars = utf8.reset().decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
