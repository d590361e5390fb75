package dev.kanmon.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A complete RFC 5322 message with a unique token in Subject, Message-ID, a header and the last
 * body line, so the copy in the sink can be found and compared line by line. It has a Date and a
 * Message-ID (so submission adds nothing but trace headers), a folded header, body lines starting
 * with dots (SMTP transparency), trailing white space and a tab.
 */
public final class TestMessage {

    public final String token;
    public final String from;
    public final String to;
    public final List<String> headerLines;
    public final List<String> bodyLines;

    public TestMessage(String label, String from, String to) {
        this.token = "e2e-" + label + "-" + UUID.randomUUID();
        this.from = from;
        this.to = to;
        this.headerLines = List.of(
                "From: Kanmon E2E <" + from + ">",
                "To: <" + to + ">",
                "Subject: kanmon " + label + " " + token,
                "Date: Wed, 25 Nov 2026 12:00:00 +0900",
                "Message-ID: <" + token + "@e2e.kanmon.test>",
                "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=us-ascii",
                "X-E2E-Folded: first part of a folded header",
                "\tsecond part after a tab",
                "X-E2E-Token: " + token);
        this.bodyLines = List.of(
                "Hello Bob,",
                "",
                ".a line that starts with a dot (must survive dot-stuffing)",
                "..two dots",
                ".",
                "trailing white space here   ",
                "\ttab-indented line",
                "-- ",
                "end " + token);
    }

    /** A message with the given lines; the headers should carry {@code X-E2E-Token: <token>}, the body end with {@code end <token>}. */
    public TestMessage(String token, String from, String to, List<String> headerLines, List<String> bodyLines) {
        this.token = token;
        this.from = from;
        this.to = to;
        this.headerLines = List.copyOf(headerLines);
        this.bodyLines = List.copyOf(bodyLines);
    }

    /** The message with CRLF line ends, not dot-stuffed (for clients that stuff themselves). */
    public byte[] crlf() {
        return join("\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The message with LF line ends (swaks converts to CRLF and stuffs dots itself). */
    public byte[] lf() {
        return join("\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** CRLF and dot-stuffed, for writing straight into a DATA phase. */
    public byte[] dotStuffedCrlf() {
        List<String> stuffed = new ArrayList<>();
        for (String line : lines()) {
            stuffed.add(line.startsWith(".") ? "." + line : line);
        }
        return (String.join("\r\n", stuffed) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    public Path writeCrlf(Path dir) throws IOException {
        Path f = dir.resolve(token + ".eml");
        Files.write(f, crlf());
        return f;
    }

    public Path writeLf(Path dir) throws IOException {
        Path f = dir.resolve(token + ".lf.eml");
        Files.write(f, lf());
        return f;
    }

    private List<String> lines() {
        List<String> all = new ArrayList<>(headerLines);
        all.add("");
        all.addAll(bodyLines);
        return all;
    }

    private String join(String eol) {
        return String.join(eol, lines()) + eol;
    }
}
