package dev.kanmon.submission.smtp.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataDecoderTest {

    /** Feeds the input in pieces of {@code step} bytes; returns the content, or null if the data never ended. */
    private static Result decode(String input, int step, boolean normalize, long max) {
        ByteBuf content = Unpooled.buffer();
        DataDecoder d = new DataDecoder(content, max, normalize);
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf in = Unpooled.buffer();
        for (int i = 0; i < bytes.length; i += step) {
            in.writeBytes(bytes, i, Math.min(step, bytes.length - i));
            if (d.decode(in)) {
                return new Result(content.toString(StandardCharsets.ISO_8859_1), d,
                        in.toString(StandardCharsets.ISO_8859_1) + new String(bytes, Math.min(i + step, bytes.length),
                                bytes.length - Math.min(i + step, bytes.length), StandardCharsets.ISO_8859_1));
            }
            in.discardReadBytes();
        }
        return new Result(null, d, null);
    }

    record Result(String content, DataDecoder decoder, String rest) {
    }

    @Test
    void endsOnlyAtCrLfDotCrLfAndKeepsTheRest() {
        for (int step = 1; step <= 7; step++) {
            Result r = decode("Subject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n", step, false, 1000);
            assertThat(r.content()).isEqualTo("Subject: x\r\n\r\nbody\r\n");
            assertThat(r.rest()).isEqualTo("QUIT\r\n");
            assertThat(r.decoder().bareLineEnding()).isFalse();
        }
    }

    @Test
    void emptyMessage() {
        assertThat(decode(".\r\n", 1, false, 10).content()).isEmpty();
    }

    @Test
    void dotUnstuffing() {
        for (int step = 1; step <= 4; step++) {
            Result r = decode("..leading\r\n...\r\n.x\r\nmid.dle\r\n.\r\n", step, false, 1000);
            assertThat(r.content()).isEqualTo(".leading\r\n..\r\nx\r\nmid.dle\r\n");
        }
    }

    /** The end-of-data lookalikes of hannob/smtpsmug and CVE-2023-51764/5/6. */
    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\n.\r\n", "\r.\r\n", "\r\n.\r", "\r\n.\n", "\r.\n", "\n.\r", "\r\n.\r\r\n",
            "\r\n\u0000.\r\n", "\r\r\n.\r\r\n"})
    void smugglingSequencesDoNotEndData(String smuggle) {
        String input = "Subject: a\r\n\r\nfirst" + smuggle + "MAIL FROM:<evil@x.test>\r\nRCPT TO:<v@y.test>\r\nDATA\r\n"
                + "spoofed\r\n.\r\n";
        for (int step : new int[] {1, 2, 3, 1000}) {
            Result r = decode(input, step, false, 10_000);
            assertThat(r.content()).as("step %d", step).isNotNull();
            // The whole smuggled transaction stays inside the one message, which is then refused.
            assertThat(r.content()).contains("MAIL FROM:<evil@x.test>").endsWith("spoofed\r\n");
            assertThat(r.rest()).isEmpty();
            assertThat(r.decoder().bareLineEnding()).isEqualTo(hasBare(smuggle));
        }
    }

    private static boolean hasBare(String s) {
        return s.replace("\r\n", "").indexOf('\r') >= 0 || s.replace("\r\n", "").indexOf('\n') >= 0;
    }

    @Test
    void normalizeTurnsBareEndingsIntoCrLfButNeverEndsEarly() {
        Result r = decode("a\nb\rc\r\n.\n.\r\nd\r\n.\r\n", 1, true, 1000);
        assertThat(r.content()).isEqualTo("a\r\nb\r\nc\r\n\r\n.\r\nd\r\n");
        assertThat(r.decoder().bareLineEnding()).isTrue();
    }

    @Test
    void overflowIsCountedButNotStored() {
        Result r = decode("0123456789\r\n0123456789\r\n.\r\n", 3, false, 15);
        assertThat(r.decoder().overflow()).isTrue();
        assertThat(r.decoder().size()).isEqualTo(24);
        assertThat(r.content().length()).isLessThanOrEqualTo(15);
    }
}
