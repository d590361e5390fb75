package dev.kanmon.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * The sink MTA (Postfix smtp-sink on 127.0.0.10:2526, the MX of every test domain) dumps each
 * transaction into {@code .local-stack/sink/mail/}: its own X-Client-Addr/X-Mail-Args/... lines,
 * its own Received header, then the message as received (with LF line ends).
 */
public final class Sink {

    /** Headers smtp-sink puts in front of each dump. */
    private static final Set<String> SINK_HEADERS =
            Set.of("x-client-addr", "x-client-proto", "x-helo-args", "x-mail-args", "x-rcpt-args");
    /** Trace headers a relay may add; everything else must arrive unchanged. */
    private static final Set<String> TRACE_HEADERS =
            Set.of("received", "return-path", "dkim-signature", "arc-seal", "arc-message-signature",
                    "arc-authentication-results", "authentication-results");

    /** One header field with its physical lines (first line plus continuation lines). */
    public record Field(String name, List<String> lines) {
        public String value() {
            return String.join("\n", lines).substring(name.length() + 1).trim();
        }
    }

    /** A dumped message. */
    public record Dump(Path file, List<Field> sinkFields, List<Field> fields, List<String> body) {
        public List<Field> all(String name) {
            return fields.stream().filter(f -> f.name().equalsIgnoreCase(name)).toList();
        }

        public String sinkValue(String name) {
            return sinkFields.stream().filter(f -> f.name().equalsIgnoreCase(name)).map(Field::value)
                    .findFirst().orElse(null);
        }
    }

    private Sink() {
    }

    /** Waits (up to 60 s) for a complete dump of the message carrying {@code token}. */
    public static Dump await(TestMessage m) {
        String endLine = "end " + m.token;
        Path[] found = new Path[1];
        Awaitility.await("message " + m.token + " in " + E2eStack.sinkDir())
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    found[0] = find(m.token, endLine);
                    return found[0] != null;
                });
        return parse(found[0]);
    }

    /** Number of dumps carrying the token (duplicates show up as more than one). */
    public static long count(String token) {
        return files().filter(f -> read(f).contains("X-E2E-Token: " + token)).count();
    }

    /**
     * Asserts the message arrived unchanged: every header line and body line as sent, in order,
     * apart from added trace headers (Received etc.); the envelope as expected.
     */
    public static Dump assertDeliveredIntact(TestMessage m, String mailFrom, String rcpt) {
        Dump d = await(m);
        assertThat(d.sinkValue("X-Mail-Args")).as("envelope sender at the sink (%s)", d.file())
                .startsWith("<" + mailFrom + ">");
        assertThat(d.sinkValue("X-Rcpt-Args")).as("envelope recipient at the sink (%s)", d.file())
                .startsWith("<" + rcpt + ">");
        List<String> kept = new ArrayList<>();
        for (Field f : d.fields()) {
            if (!TRACE_HEADERS.contains(f.name().toLowerCase(Locale.ROOT))) {
                kept.addAll(f.lines());
            }
        }
        assertThat(kept).as("header lines at the sink, trace headers removed (%s)", d.file())
                .containsExactlyElementsOf(m.headerLines);
        assertThat(trimTrailingEmpty(d.body())).as("body lines at the sink (%s)", d.file())
                .containsExactlyElementsOf(trimTrailingEmpty(m.bodyLines));
        return d;
    }

    /** Waits (up to {@code seconds}) for a dump whose whole text satisfies the predicate. */
    public static Dump awaitMatching(String description, int seconds, java.util.function.Predicate<String> test) {
        Path[] found = new Path[1];
        Awaitility.await(description + " in " + E2eStack.sinkDir())
                .atMost(Duration.ofSeconds(seconds))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    try (Stream<Path> s = files()) {
                        found[0] = s.filter(f -> test.test(read(f))).findFirst().orElse(null);
                    }
                    return found[0] != null;
                });
        return parse(found[0]);
    }

    /** Number of dumps containing the text anywhere (sink lines included). */
    public static long countContaining(String text) {
        return files().filter(f -> read(f).contains(text)).count();
    }

    private static Path find(String token, String endLine) {
        try (Stream<Path> s = files()) {
            return s.filter(f -> {
                String text = read(f);
                return text.contains("X-E2E-Token: " + token) && text.contains("\n" + endLine + "\n");
            }).findFirst().orElse(null);
        }
    }

    private static Stream<Path> files() {
        try {
            if (!Files.isDirectory(E2eStack.sinkDir())) {
                return Stream.empty();
            }
            return Files.list(E2eStack.sinkDir()).filter(Files::isRegularFile).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
        } catch (IOException e) {
            return "";
        }
    }

    static Dump parse(Path file) {
        String[] lines = read(file).split("\n", -1);
        List<Field> sink = new ArrayList<>();
        List<Field> fields = new ArrayList<>();
        int i = 0;
        Field current = null;
        boolean inSinkBlock = true;
        for (; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                i++;
                break;
            }
            if ((line.startsWith(" ") || line.startsWith("\t")) && current != null) {
                current.lines().add(line);
                continue;
            }
            int colon = line.indexOf(':');
            String name = colon > 0 ? line.substring(0, colon) : line;
            current = new Field(name, new ArrayList<>(List.of(line)));
            if (inSinkBlock && SINK_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                sink.add(current);
            } else {
                inSinkBlock = false;
                fields.add(current);
            }
        }
        List<String> body = new ArrayList<>();
        for (; i < lines.length; i++) {
            body.add(lines[i]);
        }
        return new Dump(file, sink, fields, body);
    }

    private static List<String> trimTrailingEmpty(List<String> lines) {
        int n = lines.size();
        while (n > 0 && lines.get(n - 1).isEmpty()) {
            n--;
        }
        return lines.subList(0, n);
    }
}
