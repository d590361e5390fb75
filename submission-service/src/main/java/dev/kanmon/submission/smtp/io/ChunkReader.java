package dev.kanmon.submission.smtp.io;

import io.netty.buffer.ByteBuf;

/**
 * Reads BDAT chunks (RFC 3030): exactly the announced number of octets, taken verbatim. Also notes whether
 * the octets contain a CR not followed by LF or an LF not preceded by CR, across chunk boundaries, because
 * such a message relayed later with DATA could be read differently by the next hop.
 */
public final class ChunkReader {

    private final ByteBuf content;
    private final long maxSize;
    private long remaining;
    private long size;
    private boolean afterCr;
    private boolean bareLineEnding;

    public ChunkReader(ByteBuf content, long maxSize) {
        this.content = content;
        this.maxSize = maxSize;
    }

    /** Starts the next chunk of {@code length} octets. */
    public void begin(long length) {
        remaining = length;
    }

    /**
     * Consumes chunk octets.
     *
     * @return true when the current chunk is complete
     */
    public boolean read(ByteBuf in) {
        int n = (int) Math.min(remaining, in.readableBytes());
        int start = in.readerIndex();
        for (int i = start; i < start + n; i++) {
            byte b = in.getByte(i);
            if ((afterCr && b != '\n') || (!afterCr && b == '\n')) {
                bareLineEnding = true;
            }
            afterCr = b == '\r';
        }
        size += n;
        if (size <= maxSize) {
            content.writeBytes(in, start, n);
        }
        in.skipBytes(n);
        remaining -= n;
        return remaining == 0;
    }

    /** Octets of all chunks so far. */
    public long size() {
        return size;
    }

    public boolean overflow() {
        return size > maxSize;
    }

    /** Whether a bare CR or LF was seen; a CR as the very last octet counts once the last chunk is in. */
    public boolean bareLineEnding(boolean last) {
        return bareLineEnding || (last && afterCr);
    }
}
