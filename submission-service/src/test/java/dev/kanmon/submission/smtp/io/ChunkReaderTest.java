package dev.kanmon.submission.smtp.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkReaderTest {

    @Test
    void readsExactlyTheChunkAndLeavesTheNextCommand() {
        ByteBuf content = Unpooled.buffer();
        ChunkReader r = new ChunkReader(content, 100);
        ByteBuf in = Unpooled.copiedBuffer("abc\r\n.\r\nBDAT 0 LAST\r\n", StandardCharsets.US_ASCII);
        r.begin(8);
        assertThat(r.read(in)).isTrue();
        assertThat(content.toString(StandardCharsets.US_ASCII)).isEqualTo("abc\r\n.\r\n");
        assertThat(in.toString(StandardCharsets.US_ASCII)).isEqualTo("BDAT 0 LAST\r\n");
        assertThat(r.bareLineEnding(true)).isFalse();
    }

    @Test
    void bareLineEndingsAcrossChunks() {
        ChunkReader r = new ChunkReader(Unpooled.buffer(), 100);
        r.begin(2);
        r.read(Unpooled.copiedBuffer("a\r", StandardCharsets.US_ASCII));
        assertThat(r.bareLineEnding(false)).isFalse();
        r.begin(2);
        r.read(Unpooled.copiedBuffer("\nb", StandardCharsets.US_ASCII));
        assertThat(r.bareLineEnding(false)).isFalse();
        r.begin(1);
        r.read(Unpooled.copiedBuffer("\n", StandardCharsets.US_ASCII));
        assertThat(r.bareLineEnding(true)).isTrue();
    }

    @Test
    void overflow() {
        ChunkReader r = new ChunkReader(Unpooled.buffer(), 3);
        r.begin(5);
        r.read(Unpooled.copiedBuffer("12345", StandardCharsets.US_ASCII));
        assertThat(r.overflow()).isTrue();
    }
}
