package dev.kanmon.submission.smtp.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * An IPv4 or IPv6 network in CIDR notation. Parsing accepts literals only (bracketed for the JDK so that no
 * name is ever resolved).
 */
public record Cidr(byte[] network, int prefix) {

    public static Cidr parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        byte[] address = literal(slash < 0 ? s : s.substring(0, slash));
        int prefix = slash < 0 ? address.length * 8 : Integer.parseInt(s.substring(slash + 1));
        if (prefix < 0 || prefix > address.length * 8) {
            throw new IllegalArgumentException("bad prefix length in " + text);
        }
        return new Cidr(mask(address, prefix), prefix);
    }

    /** The networks of a configured list; blank entries are ignored. */
    public static List<Cidr> parseAll(List<String> texts) {
        return texts.stream().filter(s -> !s.isBlank()).map(Cidr::parse).toList();
    }

    /** Whether the address lies in any of the networks. */
    public static boolean anyContains(List<Cidr> networks, String address) {
        for (Cidr c : networks) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the address (a literal, as from a socket) lies in this network. */
    public boolean contains(String address) {
        byte[] a;
        try {
            a = literal(address);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (a.length != network.length) {
            return false;
        }
        byte[] masked = mask(a, prefix);
        for (int i = 0; i < masked.length; i++) {
            if (masked[i] != network[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] literal(String s) {
        boolean looksLikeLiteral = !s.isEmpty() && s.chars().allMatch(c -> c == '.' || c == ':' || Character.digit(c, 16) >= 0);
        if (!looksLikeLiteral) {
            throw new IllegalArgumentException("not an IP address: " + s);
        }
        try {
            return InetAddress.getByName(s.indexOf(':') >= 0 ? "[" + s + "]" : s).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + s, e);
        }
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xff00 >> bits);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(network) + prefix;
    }
}
