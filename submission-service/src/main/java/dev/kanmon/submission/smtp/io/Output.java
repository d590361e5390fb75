package dev.kanmon.submission.smtp.io;

import io.vertx.core.buffer.Buffer;

/**
 * A session's replies on their way out: collected while pipelined input is worked through and written in one batch
 * (RFC 2920) when the input runs dry or the session waits; whatever is collected when the session closes goes out
 * before the close.
 */
public final class Output {

    private final Transport transport;
    private Buffer out;
    private boolean closed;

    public Output(Transport transport) {
        this.transport = transport;
    }

    /** Adds a reply's bytes to the batch; nothing after the close. */
    public void add(byte[] reply) {
        if (closed) {
            return;
        }
        if (out == null) {
            out = Buffer.buffer(128);
        }
        out.appendBytes(reply);
    }

    public void flush() {
        if (out != null && out.length() > 0 && !closed) {
            transport.write(out);
        }
        out = null;
    }

    /** Sends what is collected, then closes the connection; once. */
    public void close() {
        if (!closed) {
            closed = true;
            Buffer last = out;
            out = null;
            transport.close(last);
        }
    }

    public boolean closed() {
        return closed;
    }
}
