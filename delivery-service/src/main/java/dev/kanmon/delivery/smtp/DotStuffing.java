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
        boolean lineStart = true;
        for (int i = 0; i < message.length; i++) {
            byte b = message[i];
            if (lineStart && b == '.') {
                out.appendByte((byte) '.');
            }
            if (b == '\n' && (i == 0 || message[i - 1] != '\r')) {
                out.appendByte((byte) '\r');
            }
            out.appendByte(b);
            lineStart = b == '\n';
        }
        if (!lineStart) {
            out.appendString("\r\n");
        }
        out.appendString(".\r\n");
        return out;
    }
}
