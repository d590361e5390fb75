package dev.kanmon.delivery.smtp;

import dev.kanmon.core.smtp.SmtpReply;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Assembles RFC 5321 §4.2 replies from lines: {@code 250-...} continues, {@code 250 ...} (or a bare code)
 * ends. An RFC 3463 enhanced code leading the text is split off into {@link SmtpReply#enhanced()}.
 */
public final class ReplyReader {

    private static final Pattern ENHANCED = Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?: |$)");

    private final List<String> lines = new ArrayList<>();
    private int code = -1;
    private String enhanced;

    /** Feeds one line without its line terminator; returns the reply when this line completes one. */
    public Optional<SmtpReply> accept(String line) throws SmtpProtocolException {
        if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
                || !Character.isDigit(line.charAt(2)) || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
            throw new SmtpProtocolException("malformed reply line: " + abbreviate(line));
        }
        int lineCode = Integer.parseInt(line.substring(0, 3));
        if (lineCode < 200 || lineCode > 599) {
            throw new SmtpProtocolException("unexpected reply code: " + abbreviate(line));
        }
        if (code >= 0 && lineCode != code) {
            throw new SmtpProtocolException("reply code changed inside a multi-line reply: " + abbreviate(line));
        }
        code = lineCode;
        String text = line.length() > 4 ? line.substring(4) : "";
        Matcher m = ENHANCED.matcher(text);
        if (m.find() && m.group(1).charAt(0) == line.charAt(0)) {
            if (enhanced == null) {
                enhanced = m.group(1) + "." + m.group(2) + "." + m.group(3);
            }
            text = text.substring(m.end());
        }
        lines.add(text);
        if (line.length() > 3 && line.charAt(3) == '-') {
            return Optional.empty();
        }
        SmtpReply reply = new SmtpReply(code, enhanced, lines);
        lines.clear();
        code = -1;
        enhanced = null;
        return Optional.of(reply);
    }

    private static String abbreviate(String line) {
        return line.length() > 80 ? line.substring(0, 80) + "..." : line;
    }
}
