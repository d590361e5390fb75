package dev.kanmon.core.smtp;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses RFC 5321 §4.1.2 paths: {@code "<" [ A-d-l ":" ] Mailbox ">"}, quoted local parts, address literals,
 * and — when the transaction uses SMTPUTF8 (RFC 6531) — UTF-8 in local parts and IDN U-labels in domains.
 * Works on the command line in place (an offset, no substring per token) and is strict: whatever a
 * downstream MTA could read differently is a syntax error, not a guess.
 */
public final class PathParser {

    /** RFC 5321 §4.5.3.1 size limits, in octets. */
    static final int MAX_LOCAL_PART = 64;
    static final int MAX_DOMAIN = 255;
    static final int MAX_PATH = 256;

    /** A parsed path and the index just after its closing {@code >}, where ESMTP parameters start. */
    public record Parsed(Path path, int end) {
    }

    private final CharSequence in;
    private final boolean utf8;
    private int pos;

    private PathParser(CharSequence in, int pos, boolean utf8) {
        this.in = in;
        this.pos = pos;
        this.utf8 = utf8;
    }

    /** MAIL FROM's path: {@code <>} is allowed. */
    public static Parsed reversePath(CharSequence in, int from, boolean utf8) throws SmtpSyntaxException {
        return new PathParser(in, from, utf8).path(true);
    }

    /** RCPT TO's path: a mailbox is required. */
    public static Parsed forwardPath(CharSequence in, int from, boolean utf8) throws SmtpSyntaxException {
        return new PathParser(in, from, utf8).path(false);
    }

    /** A whole string that must be exactly one mailbox (no brackets), e.g. a configured address. */
    public static Mailbox mailbox(CharSequence in, boolean utf8) throws SmtpSyntaxException {
        PathParser p = new PathParser(in, 0, utf8);
        Mailbox m = p.mailbox();
        if (p.pos != in.length()) {
            throw new SmtpSyntaxException("trailing characters after the mailbox");
        }
        return m;
    }

    private Parsed path(boolean nullAllowed) throws SmtpSyntaxException {
        int start = pos;
        expect('<', "the path must start with '<'");
        if (peek() == '>') {
            if (!nullAllowed) {
                throw new SmtpSyntaxException("a recipient is required");
            }
            pos++;
            return new Parsed(Path.NULL, pos);
        }
        List<String> route = List.of();
        if (peek() == '@') {
            route = sourceRoute();
        }
        Mailbox mailbox = mailbox();
        expect('>', "the path must end with '>'");
        if (octets(start, pos) > MAX_PATH) {
            throw new SmtpSyntaxException("path longer than " + MAX_PATH + " octets");
        }
        return new Parsed(new Path(mailbox, route), pos);
    }

    private List<String> sourceRoute() throws SmtpSyntaxException {
        List<String> route = new ArrayList<>(2);
        do {
            expect('@', "bad source route");
            route.add(domain());
        } while (accept(','));
        expect(':', "bad source route");
        return route;
    }

    private Mailbox mailbox() throws SmtpSyntaxException {
        int start = pos;
        boolean quoted = peek() == '"';
        String local = quoted ? quotedString() : dotString();
        if (octets(start, pos) > MAX_LOCAL_PART) {
            throw new SmtpSyntaxException("local part longer than " + MAX_LOCAL_PART + " octets");
        }
        expect('@', "the mailbox needs a domain");
        String domain = peek() == '[' ? addressLiteral() : domain();
        return new Mailbox(local, domain, quoted);
    }

    private String dotString() throws SmtpSyntaxException {
        int start = pos;
        atom();
        while (peek() == '.') {
            pos++;
            atom();
        }
        return in.subSequence(start, pos).toString();
    }

    private void atom() throws SmtpSyntaxException {
        int start = pos;
        while (pos < in.length() && atext(in.charAt(pos))) {
            pos++;
        }
        if (pos == start) {
            throw new SmtpSyntaxException("bad local part");
        }
    }

    private String quotedString() throws SmtpSyntaxException {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= in.length()) {
                throw new SmtpSyntaxException("unterminated quoted local part");
            }
            char c = in.charAt(pos++);
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                if (pos >= in.length() || in.charAt(pos) < 32 || in.charAt(pos) > 126) {
                    throw new SmtpSyntaxException("bad quoted pair in local part");
                }
                sb.append(in.charAt(pos++));
            } else if ((c >= 32 && c <= 126) || (utf8 && c >= 0x80)) {
                sb.append(c);
            } else {
                throw new SmtpSyntaxException("bad character in quoted local part");
            }
        }
        if (sb.length() == 0) {
            // An empty local part is legal grammar but names nobody; refusing it removes an ambiguity.
            throw new SmtpSyntaxException("empty local part");
        }
        return sb.toString();
    }

    private String domain() throws SmtpSyntaxException {
        int start = pos;
        boolean nonAscii = subDomain();
        while (peek() == '.') {
            pos++;
            nonAscii |= subDomain();
        }
        String domain = in.subSequence(start, pos).toString();
        if (nonAscii) {
            try {
                // Validates the U-labels (RFC 6531 allows them under SMTPUTF8) and bounds the A-label length.
                String ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES);
                if (ascii.length() > MAX_DOMAIN) {
                    throw new SmtpSyntaxException("domain longer than " + MAX_DOMAIN + " octets");
                }
            } catch (IllegalArgumentException e) {
                throw new SmtpSyntaxException("invalid internationalized domain");
            }
        } else if (domain.length() > MAX_DOMAIN) {
            throw new SmtpSyntaxException("domain longer than " + MAX_DOMAIN + " octets");
        }
        return domain;
    }

    /** Let-dig [Ldh-str]; returns whether the label held non-ASCII characters. */
    private boolean subDomain() throws SmtpSyntaxException {
        int start = pos;
        boolean nonAscii = false;
        while (pos < in.length()) {
            char c = in.charAt(pos);
            if (letDig(c) || c == '-') {
                pos++;
            } else if (utf8 && c >= 0x80 && Character.isLetterOrDigit(Character.codePointAt(in, pos))) {
                nonAscii = true;
                pos += Character.charCount(Character.codePointAt(in, pos));
            } else {
                break;
            }
        }
        if (pos == start || in.charAt(start) == '-' || in.charAt(pos - 1) == '-' || pos - start > 63) {
            throw new SmtpSyntaxException("bad domain");
        }
        return nonAscii;
    }

    private String addressLiteral() throws SmtpSyntaxException {
        int start = pos++;
        while (pos < in.length() && in.charAt(pos) != ']') {
            char c = in.charAt(pos);
            if (c < 33 || c > 126 || c == '[' || c == '\\') {
                throw new SmtpSyntaxException("bad address literal");
            }
            pos++;
        }
        expect(']', "unterminated address literal");
        String body = in.subSequence(start + 1, pos - 1).toString();
        if (body.regionMatches(true, 0, "IPv6:", 0, 5)) {
            ipv6(body.substring(5));
        } else if (!ipv4(body)) {
            // General-address-literal (RFC 5321 §4.1.3) has no registered tags besides IPv6: refuse the rest.
            throw new SmtpSyntaxException("bad address literal");
        }
        return in.subSequence(start, pos).toString();
    }

    private static boolean ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3) {
                return false;
            }
            for (int i = 0; i < p.length(); i++) {
                if (p.charAt(i) < '0' || p.charAt(i) > '9') {
                    return false;
                }
            }
            if (Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    private static void ipv6(String s) throws SmtpSyntaxException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                throw new SmtpSyntaxException("bad IPv6 address literal");
            }
        }
        try {
            // Bracketed, so the JDK parses it as a literal and never asks DNS.
            InetAddress.getByName("[" + s + "]");
        } catch (UnknownHostException e) {
            throw new SmtpSyntaxException("bad IPv6 address literal");
        }
    }

    private boolean atext(char c) {
        if (c >= 0x80) {
            return utf8;
        }
        return letDig(c) || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }

    private static boolean letDig(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private char peek() {
        return pos < in.length() ? in.charAt(pos) : 0;
    }

    private boolean accept(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c, String message) throws SmtpSyntaxException {
        if (!accept(c)) {
            throw new SmtpSyntaxException(message);
        }
    }

    private int octets(int from, int to) {
        CharSequence s = in.subSequence(from, to);
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return s.toString().getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return s.length();
    }
}
