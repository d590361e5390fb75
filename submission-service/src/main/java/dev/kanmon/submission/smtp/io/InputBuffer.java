package dev.kanmon.submission.smtp.io;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Inbound bytes a session has not consumed yet: an unfinished line, or pipelined input that waits while the session
 * waits for a back end. With nothing left over, input is decoded straight from the transport's buffer and only an
 * unfinished tail is copied.
 */
public final class InputBuffer {

    private ByteBuf pending;

    /**
     * Decodes {@code src} after whatever was left over.
     *
     * @param keepTail whether bytes the decoder left unread are to be kept (not once the session closed or awaits a
     *                 TLS handshake)
     */
    public void feed(ByteBuf src, Consumer<ByteBuf> decode, BooleanSupplier keepTail) {
        if (pending != null && pending.isReadable()) {
            pending.writeBytes(src);
            decode.accept(pending);
        } else {
            decode.accept(src);
            if (src.isReadable() && keepTail.getAsBoolean()) {
                if (pending == null) {
                    pending = Unpooled.buffer(Math.max(256, src.readableBytes()));
                }
                pending.writeBytes(src);
            }
        }
        if (pending != null) {
            pending.discardReadBytes();
        }
    }

    /** Decodes what was left over while the session waited. */
    public void resume(Consumer<ByteBuf> decode) {
        if (pending != null && pending.isReadable()) {
            decode.accept(pending);
            pending.discardReadBytes();
        }
    }

    /** Drops what was left over (plaintext pipelined after STARTTLS: CVE-2011-0411). */
    public void clear() {
        if (pending != null) {
            pending.clear();
        }
    }

    public void release() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }
}
