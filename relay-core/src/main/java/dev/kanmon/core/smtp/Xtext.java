package dev.kanmon.core.smtp;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** RFC 3461 §4 xtext, the encoding of ENVID, ORCPT and MAIL AUTH= values. */
public final class Xtext {

    private Xtext() {
    }

    /**
     * Decodes {@code xtext}; {@code +XX} (upper-case hex) stands for one octet, read as UTF-8. Octets that are not
     * UTF-8 are a syntax error, not replacement characters: the value (an ENVID) is passed on to the next hop and
     * must reach it as the client sent it.
     */
    public static String decode(CharSequence in) throws SmtpSyntaxException {
        ByteArrayOutputStream out = null;
        for (int i = 0; i < in.length(); i++) {
            char c = in.charAt(i);
            if (c == '+') {
                if (i + 2 >= in.length()) {
                    throw new SmtpSyntaxException("truncated xtext escape");
                }
                int hi = hex(in.charAt(i + 1));
                int lo = hex(in.charAt(i + 2));
                if (hi < 0 || lo < 0) {
                    throw new SmtpSyntaxException("bad xtext escape");
                }
                if (out == null) {
                    out = copyPrefix(in, i);
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c < 33 || c > 126 || c == '=') {
                throw new SmtpSyntaxException("bad character in xtext");
            } else if (out != null) {
                out.write(c);
            }
        }
        return out == null ? in.toString() : utf8(out.toByteArray());
    }

    private static String utf8(byte[] octets) throws SmtpSyntaxException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(octets))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SmtpSyntaxException("xtext is not UTF-8");
        }
    }

    /** Whether the text is well-formed xtext of UTF-8 octets. */
    public static boolean valid(CharSequence in) {
        try {
            decode(in);
            return true;
        } catch (SmtpSyntaxException e) {
            return false;
        }
    }

    /** Encodes a value as xtext: {@code +}, {@code =}, controls, space and non-ASCII become {@code +XX}. */
    public static String encode(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 33 || c > 126 || c == '+' || c == '=') {
                sb.append('+').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private static ByteArrayOutputStream copyPrefix(CharSequence in, int end) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length());
        for (int j = 0; j < end; j++) {
            out.write(in.charAt(j));
        }
        return out;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
