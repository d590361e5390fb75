package dev.kanmon.e2e;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One SMTP reply as read off the wire or a client's transcript: code, enhanced code, text lines. */
public record Reply(int code, String enhanced, List<String> lines) {

    private static final Pattern ENHANCED = Pattern.compile("^([245]\\.\\d{1,3}\\.\\d{1,3})(?:\\s|$)");

    /** Builds a reply from its text lines (code and separator already removed). */
    public static Reply of(int code, List<String> lines) {
        String enhanced = null;
        if (!lines.isEmpty()) {
            Matcher m = ENHANCED.matcher(lines.get(lines.size() - 1));
            if (m.find()) {
                enhanced = m.group(1);
            }
        }
        return new Reply(code, enhanced, List.copyOf(lines));
    }

    /** The last line's text without the enhanced code. */
    public String text() {
        String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        return enhanced != null && last.startsWith(enhanced) ? last.substring(enhanced.length()).trim() : last;
    }

    /** All lines joined, for keyword checks (EHLO capabilities). */
    public String all() {
        return String.join("\n", lines);
    }

    /** The queue id of a {@code 250 2.0.0 Ok: queued as <id>} reply, else null. */
    public String queueId() {
        Matcher m = Pattern.compile("queued as (\\S+)").matcher(all());
        return m.find() ? m.group(1) : null;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            sb.append(code).append(i == lines.size() - 1 ? ' ' : '-').append(lines.get(i));
            if (i < lines.size() - 1) {
                sb.append(" | ");
            }
        }
        return sb.toString();
    }
}
