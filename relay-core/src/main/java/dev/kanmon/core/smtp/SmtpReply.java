package dev.kanmon.core.smtp;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An SMTP reply (RFC 5321 §4.2) with an optional RFC 3463 enhanced status code that is prefixed to every
 * line when present.
 *
 * @param code     three-digit reply code
 * @param enhanced enhanced status code such as {@code 5.7.1}, or null (greeting, EHLO, HELO replies carry none)
 * @param lines    one or more text lines
 */
public record SmtpReply(int code, String enhanced, List<String> lines) {

    public SmtpReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply needs at least one line");
        }
    }

    public static SmtpReply of(int code, String enhanced, String text) {
        return new SmtpReply(code, enhanced, List.of(text));
    }

    public static SmtpReply of(int code, String text) {
        return new SmtpReply(code, null, List.of(text));
    }

    public boolean positive() {
        return code < 400;
    }

    public boolean transientFailure() {
        return code >= 400 && code < 500;
    }

    public boolean permanentFailure() {
        return code >= 500;
    }

    /** The wire form: {@code 250-first CRLF 250 last CRLF}, enhanced code repeated on each line. */
    public String render() {
        StringBuilder sb = new StringBuilder(32 * lines.size());
        for (int i = 0; i < lines.size(); i++) {
            sb.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (enhanced != null) {
                sb.append(enhanced).append(' ');
            }
            sb.append(lines.get(i)).append("\r\n");
        }
        return sb.toString();
    }

    public byte[] toBytes() {
        return render().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return render().stripTrailing();
    }
}
