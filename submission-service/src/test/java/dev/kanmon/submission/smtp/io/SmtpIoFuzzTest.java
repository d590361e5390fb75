package dev.kanmon.submission.smtp.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz tests of the byte-level input decoders (docs/testing.md, "Fuzzing"): arbitrary bytes cut at arbitrary points,
 * fed the way {@code SmtpSession} feeds them. For each: no exception, the decoders neither release nor retain the
 * buffers they are handed (checked with {@code refCnt()} and Netty's PARANOID leak detector on pooled buffers), and
 * the result is the same for every split and equal to a simple reference implementation. For DATA that means above
 * all: the end of data is {@code CRLF "." CRLF} and nothing else (no SMTP smuggling).
 *
 * <p>Input layout ({@link FuzzedDataProvider}): parameters and cut points are taken from the end of the input, the
 * bytes themselves from the front, so a seed file is "bytes + a few trailing parameter bytes".
 */
class SmtpIoFuzzTest {

    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static ResourceLeakDetector.Level previousLevel;

    @BeforeAll
    static void paranoid() {
        // Every buffer tracked, but access records only for retain/release: recording each getByte() would make the
        // fuzzer a hundred times slower, and leaks are about reference counts.
        System.setProperty("io.netty.leakDetection.acquireAndReleaseOnly", "true");
        previousLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @AfterAll
    static void restore() {
        System.gc();
        // A leak is reported when a later allocation finds the collected, unreleased buffer.
        for (int i = 0; i < 64; i++) {
            ALLOC.heapBuffer(1).release();
        }
        ResourceLeakDetector.setLevel(previousLevel);
        assertThat(LEAKS).as("ByteBuf leaks").isEmpty();
    }

    /** Command lines: LF-terminated, optional CR, over-long lines skipped, non-UTF-8 lines reported. */
    @FuzzTest(maxDuration = "10m")
    void lineFramer(FuzzedDataProvider data) {
        int maxLength = data.consumeInt(0, 300);
        int[] cuts = cuts(data);
        byte[] input = data.consumeRemainingAsBytes();
        List<String> expected = referenceLines(input, maxLength);

        LineFramer framer = new LineFramer(maxLength);
        List<String> actual = new ArrayList<>();
        ByteBuf pending = ALLOC.heapBuffer();
        try {
            for (byte[] piece : split(input, cuts)) {
                pending.writeBytes(piece);
                while (true) {
                    int before = pending.readerIndex();
                    LineFramer.Frame frame = framer.next(pending);
                    assertThat(pending.readerIndex()).isGreaterThanOrEqualTo(before);
                    if (frame == LineFramer.Frame.INCOMPLETE) {
                        break;
                    }
                    if (frame == LineFramer.Frame.LINE) {
                        assertThat(framer.lineOctets()).isLessThanOrEqualTo(maxLength)
                                .isEqualTo(framer.line().getBytes(StandardCharsets.UTF_8).length);
                        actual.add("LINE:" + framer.line());
                    } else {
                        actual.add(frame.name());
                    }
                    assertThat(pending.readerIndex()).as("a frame consumes input").isGreaterThan(before);
                }
                // What SmtpSession keeps between reads: only the unfinished line, never more than the limit + CR.
                assertThat(pending.readableBytes()).isLessThanOrEqualTo(maxLength + 1);
                pending.discardReadBytes();
                assertThat(pending.refCnt()).isEqualTo(1);
            }
        } finally {
            assertThat(pending.release()).isTrue();
        }
        assertThat(actual).isEqualTo(expected);
    }

    /** DATA: dot-unstuffing, end of data only at CRLF.CRLF, bare CR/LF recorded or normalised, size limit. */
    @FuzzTest(maxDuration = "10m")
    void dataDecoder(FuzzedDataProvider data) {
        boolean normalize = data.consumeBoolean();
        long maxSize = data.consumeLong(0, 600);
        int[] cuts = cuts(data);
        byte[] input = data.consumeRemainingAsBytes();
        Reference expected = referenceData(input, normalize);

        ByteBuf content = ALLOC.heapBuffer();
        DataDecoder decoder = new DataDecoder(content, maxSize, normalize);
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        boolean ended = false;
        try {
            for (byte[] piece : split(input, cuts)) {
                if (ended) {
                    rest.writeBytes(piece);
                    continue;
                }
                ByteBuf in = ALLOC.directBuffer(piece.length).writeBytes(piece);
                try {
                    ended = decoder.decode(in);
                    assertThat(in.refCnt()).isEqualTo(1);
                    if (ended) {
                        byte[] tail = new byte[in.readableBytes()];
                        in.readBytes(tail);
                        rest.writeBytes(tail);
                    } else {
                        assertThat(in.isReadable()).as("unfinished data is consumed whole").isFalse();
                    }
                } finally {
                    assertThat(in.release()).isTrue();
                }
            }
            assertThat(ended).as("end of data recognised").isEqualTo(expected.ended());
            if (ended) {
                assertThat(rest.toByteArray()).as("bytes after the end of data").isEqualTo(expected.rest());
                assertThat(decoder.size()).isEqualTo(expected.content().length);
                assertThat(decoder.bareLineEnding()).isEqualTo(expected.bare());
                assertThat(decoder.overflow()).isEqualTo(expected.content().length > maxSize);
                byte[] stored = bytes(content);
                if (decoder.overflow()) {
                    assertThat(stored.length).isLessThanOrEqualTo((int) maxSize);
                    assertThat(Arrays.equals(stored, 0, stored.length, expected.content(), 0, stored.length))
                            .as("stored part is a prefix").isTrue();
                } else {
                    assertThat(stored).isEqualTo(expected.content());
                }
                if (normalize) {
                    assertCrLfOnly(stored);
                }
            }
            assertThat(content.refCnt()).isEqualTo(1);
        } finally {
            assertThat(content.release()).isTrue();
        }
    }

    /** BDAT: chunks of announced sizes taken verbatim across arbitrary reads; bare CR/LF noticed across chunks. */
    @FuzzTest(maxDuration = "10m")
    void chunkReader(FuzzedDataProvider data) {
        long maxSize = data.consumeLong(-1, 600);
        int chunks = data.consumeInt(1, 5);
        int[] sizes = new int[chunks];
        for (int i = 0; i < chunks; i++) {
            sizes[i] = data.consumeInt(0, 200);
        }
        int[] cuts = cuts(data);
        byte[] input = data.consumeRemainingAsBytes();

        ByteBuf content = ALLOC.heapBuffer();
        ChunkReader reader = new ChunkReader(content, maxSize);
        List<byte[]> pieces = split(input, cuts);
        ByteBuf in = ALLOC.directBuffer();
        int piece = 0;
        int consumed = 0;
        try {
            for (int c = 0; c < chunks; c++) {
                reader.begin(sizes[c]);
                boolean done = sizes[c] == 0 && reader.read(in);
                while (!done) {
                    if (!in.isReadable()) {
                        if (piece == pieces.size()) {
                            break;
                        }
                        in.clear().writeBytes(pieces.get(piece++));
                    }
                    int before = in.readableBytes();
                    done = reader.read(in);
                    consumed += before - in.readableBytes();
                    assertThat(in.refCnt()).isEqualTo(1);
                }
                if (!done) {
                    break; // input ran out in this chunk
                }
            }
            long announced = 0;
            for (int s : sizes) {
                announced += s;
            }
            int expectedConsumed = (int) Math.min(announced, input.length);
            assertThat(consumed).isEqualTo(expectedConsumed);
            assertThat(reader.size()).isEqualTo(expectedConsumed);
            byte[] octets = Arrays.copyOf(input, expectedConsumed);
            assertThat(reader.overflow()).isEqualTo(expectedConsumed > maxSize);
            byte[] stored = bytes(content);
            if (!reader.overflow()) {
                assertThat(stored).isEqualTo(octets);
            } else {
                assertThat(stored.length).isLessThanOrEqualTo((int) Math.max(0, maxSize));
            }
            assertThat(reader.bareLineEnding(true)).isEqualTo(hasBareLineEnding(octets, true));
            assertThat(reader.bareLineEnding(false)).isEqualTo(hasBareLineEnding(octets, false));
            assertThat(content.refCnt()).isEqualTo(1);
        } finally {
            assertThat(in.release()).isTrue();
            assertThat(content.release()).isTrue();
        }
    }

    // ---- reference implementations ------------------------------------------------------------------------------

    /** Every complete line, as the LineFramer contract describes it; the unfinished tail gives nothing. */
    static List<String> referenceLines(byte[] input, int maxLength) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < input.length; i++) {
            if (input[i] != '\n') {
                continue;
            }
            int end = i > start && input[i - 1] == '\r' ? i - 1 : i;
            if (end - start > maxLength) {
                out.add("TOO_LONG");
            } else {
                String line = strictUtf8(input, start, end - start);
                out.add(line == null ? "MALFORMED" : "LINE:" + line);
            }
            start = i + 1;
        }
        return out;
    }

    record Reference(boolean ended, byte[] content, byte[] rest, boolean bare) {
    }

    /**
     * RFC 5321 §4.5.2 and §4.1.1.4 the simple way: the data ends at the first {@code CRLF.CRLF} of
     * {@code CRLF + input}; the body before it is cut into CRLF-terminated lines, a leading dot of each is removed,
     * and any CR or LF left inside a line is bare (dropped, or a CRLF when normalising).
     */
    static Reference referenceData(byte[] input, boolean normalize) {
        byte[] framed = new byte[input.length + 2];
        framed[0] = '\r';
        framed[1] = '\n';
        System.arraycopy(input, 0, framed, 2, input.length);
        int at = indexOf(framed, new byte[] {'\r', '\n', '.', '\r', '\n'});
        if (at < 0) {
            return new Reference(false, null, null, false);
        }
        // body = input[0, at): empty or ending in CRLF
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        boolean bare = false;
        int lineStart = 0;
        while (lineStart < at) {
            int crlf = indexOf(input, lineStart, at, new byte[] {'\r', '\n'});
            int from = lineStart < crlf && input[lineStart] == '.' ? lineStart + 1 : lineStart;
            for (int i = from; i < crlf; i++) {
                byte b = input[i];
                if (b == '\r' || b == '\n') {
                    bare = true;
                    if (normalize) {
                        content.write('\r');
                        content.write('\n');
                    }
                } else {
                    content.write(b);
                }
            }
            content.write('\r');
            content.write('\n');
            lineStart = crlf + 2;
        }
        return new Reference(true, content.toByteArray(), Arrays.copyOfRange(input, at + 3, input.length), bare);
    }

    /** A CR not followed by LF, or an LF not preceded by CR; a final CR counts only when {@code last}. */
    static boolean hasBareLineEnding(byte[] octets, boolean last) {
        for (int i = 0; i < octets.length; i++) {
            if (octets[i] == '\r' && (i + 1 < octets.length ? octets[i + 1] != '\n' : last)) {
                return true;
            }
            if (octets[i] == '\n' && (i == 0 || octets[i - 1] != '\r')) {
                return true;
            }
        }
        return false;
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** Up to 8 cut points, as fractions of the input in 1/65536. */
    private static int[] cuts(FuzzedDataProvider data) {
        int n = data.consumeInt(0, 8);
        int[] cuts = new int[n];
        for (int i = 0; i < n; i++) {
            cuts[i] = data.consumeInt(0, 65535);
        }
        return cuts;
    }

    private static List<byte[]> split(byte[] input, int[] cuts) {
        int[] at = new int[cuts.length];
        for (int i = 0; i < cuts.length; i++) {
            at[i] = (int) ((long) cuts[i] * input.length / 65536);
        }
        Arrays.sort(at);
        List<byte[]> pieces = new ArrayList<>();
        int from = 0;
        for (int cut : at) {
            pieces.add(Arrays.copyOfRange(input, from, cut));
            from = cut;
        }
        pieces.add(Arrays.copyOfRange(input, from, input.length));
        return pieces;
    }

    private static String strictUtf8(byte[] bytes, int from, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, length))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        return indexOf(haystack, 0, haystack.length, needle);
    }

    private static int indexOf(byte[] haystack, int from, int to, byte[] needle) {
        outer:
        for (int i = from; i + needle.length <= to; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] bytes(ByteBuf buf) {
        byte[] out = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), out);
        return out;
    }

    private static void assertCrLfOnly(byte[] stored) {
        assertThat(hasBareLineEnding(stored, true)).as("normalised content has CRLF line ends only").isFalse();
    }

    /** Records Netty's leak reports instead of only logging them. */
    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                long maxActive) {
            return new ResourceLeakDetector<>(resource, samplingInterval) {
                @Override
                protected void reportTracedLeak(String resourceType, String records) {
                    LEAKS.add(resourceType + records);
                    super.reportTracedLeak(resourceType, records);
                }

                @Override
                protected void reportUntracedLeak(String resourceType) {
                    LEAKS.add(resourceType);
                    super.reportUntracedLeak(resourceType);
                }
            };
        }
    }
}
