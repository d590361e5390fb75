package dev.kanmon.core.smtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses the {@code Mail-parameters} / {@code Rcpt-parameters} after a path:
 * {@code esmtp-param *(SP esmtp-param)}, {@code esmtp-keyword ["=" esmtp-value]}. A repeated keyword is a
 * syntax error, because two values for SIZE or NOTIFY would be read differently by different MTAs.
 */
public final class EsmtpParameters {

    private EsmtpParameters() {
    }

    /**
     * @param in    the command argument
     * @param from  where the parameters start (just after the path)
     * @param utf8  whether UTF-8 is allowed in values (RFC 6531 extends esmtp-value)
     */
    public static List<EsmtpParameter> parse(CharSequence in, int from, boolean utf8) throws SmtpSyntaxException {
        List<EsmtpParameter> out = new ArrayList<>(4);
        int pos = from;
        int len = in.length();
        while (pos < len) {
            if (in.charAt(pos) != ' ') {
                throw new SmtpSyntaxException("parameters must be separated by a space");
            }
            while (pos < len && in.charAt(pos) == ' ') {
                pos++;
            }
            if (pos == len) {
                break;
            }
            int kStart = pos;
            while (pos < len && keywordChar(in.charAt(pos), pos == kStart)) {
                pos++;
            }
            if (pos == kStart) {
                throw new SmtpSyntaxException("bad parameter keyword");
            }
            String keyword = in.subSequence(kStart, pos).toString().toUpperCase(Locale.ROOT);
            String value = null;
            if (pos < len && in.charAt(pos) == '=') {
                int vStart = ++pos;
                while (pos < len && valueChar(in.charAt(pos), utf8)) {
                    pos++;
                }
                if (pos == vStart) {
                    throw new SmtpSyntaxException("empty value for " + keyword);
                }
                value = in.subSequence(vStart, pos).toString();
            }
            if (pos < len && in.charAt(pos) != ' ') {
                throw new SmtpSyntaxException("bad character in parameter " + keyword);
            }
            for (EsmtpParameter p : out) {
                if (p.keyword().equals(keyword)) {
                    throw new SmtpSyntaxException("duplicate parameter " + keyword);
                }
            }
            out.add(new EsmtpParameter(keyword, value));
        }
        return out;
    }

    private static boolean keywordChar(char c, boolean first) {
        boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        return alnum || (!first && c == '-');
    }

    private static boolean valueChar(char c, boolean utf8) {
        return (c >= 33 && c <= 126 && c != '=') || (utf8 && c >= 0x80);
    }
}
