package dev.kanmon.delivery.smtp;

import io.vertx.core.buffer.Buffer;

/**
 * RFC 5321 §4.5.2 transparency: every line starting with a dot gets one more, lines end in CRLF (a bare LF
 * becomes CRLF, which RFC 5321 §2.3.8 requires on the wire), and the data ends with {@code CRLF.CRLF}.
 */
public final class DotStuffing {

    private DotStuffing() {
    }

    public static Buffer encode(byte[] message) {
        Buffer out = Buffer.buffer(message.length + message.length / 64 + 8);
        // copy the runs between insertions in bulk: one append per run instead of one per byte
        int copied = 0;
        for (int i = 0; i < message.length; i++) {
            byte b = message[i];
            boolean lineStart = i == 0 || message[i - 1] == '\n';
            if (lineStart && b == '.') {
                out.appendBytes(message, copied, i - copied).appendByte((byte) '.');
                copied = i;
            } else if (b == '\n' && (i == 0 || message[i - 1] != '\r')) {
                out.appendBytes(message, copied, i - copied).appendByte((byte) '\r');
                copied = i;
            }
        }
        out.appendBytes(message, copied, message.length - copied);
        if (message.length > 0 && message[message.length - 1] != '\n') {
            out.appendString("\r\n");
        }
        out.appendString(".\r\n");
        return out;
    }
}
