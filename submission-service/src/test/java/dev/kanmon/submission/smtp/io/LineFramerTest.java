package dev.kanmon.submission.smtp.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineFramerTest {

    private static List<String> frames(LineFramer f, ByteBuf in) {
        List<String> out = new ArrayList<>();
        while (true) {
            LineFramer.Frame frame = f.next(in);
            if (frame == LineFramer.Frame.INCOMPLETE) {
                return out;
            }
            out.add(frame == LineFramer.Frame.LINE ? f.line() : frame.name());
        }
    }

    @Test
    void pipelinedLinesWithCrLfOrBareLf() {
        ByteBuf in = Unpooled.copiedBuffer("EHLO a\r\nMAIL FROM:<>\nRCPT", StandardCharsets.US_ASCII);
        LineFramer f = new LineFramer(100);
        assertThat(frames(f, in)).containsExactly("EHLO a", "MAIL FROM:<>");
        assertThat(in.toString(StandardCharsets.US_ASCII)).isEqualTo("RCPT");
    }

    @Test
    void overlongLineIsDiscardedAcrossReadsAndFramingRecovers() {
        LineFramer f = new LineFramer(10);
        ByteBuf in = Unpooled.buffer();
        in.writeBytes("x".repeat(50).getBytes(StandardCharsets.US_ASCII));
        assertThat(frames(f, in)).isEmpty();
        assertThat(in.readableBytes()).isZero(); // nothing buffered for a long line
        in.writeBytes("yyyy\r\nNOOP\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(frames(f, in)).containsExactly("TOO_LONG", "NOOP");
    }

    @Test
    void overlongCompleteLineInOneRead() {
        ByteBuf in = Unpooled.copiedBuffer("a".repeat(11) + "\r\nNOOP\r\n", StandardCharsets.US_ASCII);
        assertThat(frames(new LineFramer(10), in)).containsExactly("TOO_LONG", "NOOP");
    }

    @Test
    void utf8AndMalformedUtf8() {
        ByteBuf in = Unpooled.buffer();
        in.writeBytes("RCPT TO:<josé@x.test>\r\n".getBytes(StandardCharsets.UTF_8));
        in.writeBytes(new byte[] {'A', (byte) 0xC3, '\r', '\n'});
        assertThat(frames(new LineFramer(100), in)).containsExactly("RCPT TO:<josé@x.test>", "MALFORMED");
    }
}
