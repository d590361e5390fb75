package dev.kanmon.dnsbl.policy;

import io.netty.util.NetUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Which A records of a zone count as a listing. Postfix postscreen patterns ({@code 127.0.0.[2..11]},
 * {@code 127.0.[0..255].[1;3]}), an inclusive range ({@code 127.0.0.2-127.0.0.11}), or any address in 127.0.0.0/8
 * (RFC 5782 §2.3: other answers are not listings, e.g. a resolver's wildcard or an error code outside 127/8).
 */
public final class CodeFilter {

    /** Per octet, the allowed values (bit v set when value v matches); null for a range filter. */
    private final long[][] octets;
    /** Inclusive bounds of a range filter, as unsigned 32-bit values. */
    private final long lo;
    private final long hi;
    private final String text;

    private CodeFilter(long[][] octets, long lo, long hi, String text) {
        this.octets = octets;
        this.lo = lo;
        this.hi = hi;
        this.text = text;
    }

    public static CodeFilter any() {
        return parse("127.[0..255].[0..255].[0..255]");
    }

    public static CodeFilter parse(String spec) {
        String s = spec.strip();
        int dash = s.indexOf('-');
        if (dash > 0) {
            return range(s.substring(0, dash).strip(), s.substring(dash + 1).strip(), s);
        }
        String[] parts = splitOctets(s);
        long[][] octets = new long[4][];
        for (int i = 0; i < 4; i++) {
            octets[i] = octet(parts[i], s);
        }
        return new CodeFilter(octets, 0, 0, s);
    }

    private static CodeFilter range(String from, String to, String spec) {
        long lo = ipv4(from, spec);
        long hi = ipv4(to, spec);
        if (lo > hi) {
            throw new IllegalArgumentException("empty range in return-code filter: " + spec);
        }
        // Kept as bounds: per-octet sets cannot express 127.0.0.250-127.0.1.5.
        return new CodeFilter(null, lo, hi, spec);
    }

    public boolean matches(String dottedQuad) {
        byte[] b = NetUtil.createByteArrayFromIpAddressString(dottedQuad);
        if (b == null || b.length != 4) {
            return false;
        }
        if (octets == null) {
            long v = toLong(b);
            return v >= lo && v <= hi;
        }
        for (int i = 0; i < 4; i++) {
            int v = b[i] & 0xff;
            if ((octets[i][v >>> 6] & (1L << (v & 63))) == 0) {
                return false;
            }
        }
        return true;
    }

    private static String[] splitOctets(String s) {
        List<String> parts = new ArrayList<>(4);
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == '.' && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        if (parts.size() != 4 || depth != 0) {
            throw new IllegalArgumentException("return-code filter needs four octets: " + s);
        }
        return parts.toArray(String[]::new);
    }

    private static long[] octet(String part, String spec) {
        long[] set = new long[4];
        String body = part;
        if (part.startsWith("[") && part.endsWith("]")) {
            body = part.substring(1, part.length() - 1);
        }
        for (String element : body.split(";")) {
            int dots = element.indexOf("..");
            int from = number(dots < 0 ? element : element.substring(0, dots), spec);
            int to = dots < 0 ? from : number(element.substring(dots + 2), spec);
            if (from > to) {
                throw new IllegalArgumentException("empty octet range in return-code filter: " + spec);
            }
            for (int v = from; v <= to; v++) {
                set[v >>> 6] |= 1L << (v & 63);
            }
        }
        return set;
    }

    private static int number(String s, String spec) {
        try {
            int v = Integer.parseInt(s.strip());
            if (v >= 0 && v <= 255) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the whole filter
        }
        throw new IllegalArgumentException("bad octet '" + s + "' in return-code filter: " + spec);
    }

    private static long ipv4(String s, String spec) {
        byte[] b = NetUtil.createByteArrayFromIpAddressString(s);
        if (b == null || b.length != 4) {
            throw new IllegalArgumentException("bad IPv4 address '" + s + "' in return-code filter: " + spec);
        }
        return toLong(b);
    }

    private static long toLong(byte[] b) {
        return ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
    }

    @Override
    public String toString() {
        return text;
    }
}
