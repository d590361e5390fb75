package dev.kanmon.core.net;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 198.51.100.0/24}, {@code 2001:db8::/32}, or a bare address for one
 * host). Only literals are parsed, so no name is ever resolved; an IPv4-mapped IPv6 address is taken as IPv4, as the
 * JDK reports such clients.
 */
public record Cidr(byte[] network, int prefix) {

    public Cidr {
        network = network.clone();
    }

    /**
     * A network from configuration: host bits beyond the prefix are cleared ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}),
     * as Postfix's {@code mynetworks} takes them.
     *
     * @throws IllegalArgumentException when the text is not a network
     */
    public static Cidr parse(String text) {
        Cidr c = parseUnmasked(text);
        return new Cidr(mask(c.network, c.prefix), c.prefix);
    }

    /**
     * A network typed by an operator (API input): host bits must be zero, because {@code 198.51.100.7/24} is more
     * likely a typo than a wish to list the whole /24.
     *
     * @throws IllegalArgumentException with a message fit for the operator, naming the likely meaning
     */
    public static Cidr parseExact(String text) {
        Cidr c = parseUnmasked(text);
        byte[] masked = mask(c.network, c.prefix);
        if (!Arrays.equals(masked, c.network)) {
            throw new IllegalArgumentException("host bits set in " + text.strip() + "; did you mean "
                    + new Cidr(masked, c.prefix) + "?");
        }
        return c;
    }

    /** The networks of a configured list; blank entries are ignored. */
    public static List<Cidr> parseAll(List<String> texts) {
        return texts.stream().filter(s -> !s.isBlank()).map(Cidr::parse).toList();
    }

    /** Whether the address lies in any of the networks. */
    public static boolean anyContains(List<Cidr> networks, String address) {
        byte[] a = address == null ? null : literal(address.strip());
        if (a == null) {
            return false;
        }
        for (Cidr c : networks) {
            if (c.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the address (a literal, as from a socket) lies in this network; false for anything else. */
    public boolean contains(String address) {
        byte[] a = address == null ? null : literal(address.strip());
        return a != null && contains(a);
    }

    private boolean contains(byte[] address) {
        return address.length == network.length && Arrays.equals(mask(address, prefix), network);
    }

    private static Cidr parseUnmasked(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a network is required");
        }
        String s = text.strip();
        int slash = s.indexOf('/');
        byte[] address = literal(slash < 0 ? s : s.substring(0, slash));
        if (address == null) {
            throw new IllegalArgumentException("not an IP network: " + s);
        }
        int max = address.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? max : Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length: " + s, e);
        }
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("prefix length out of range: " + s);
        }
        return new Cidr(address, prefix);
    }

    /** The address's octets, IPv4-mapped IPv6 as IPv4; null when it is not an IP literal. */
    private static byte[] literal(String s) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(s);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes).getAddress();
        } catch (UnknownHostException e) {
            return null;
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

    /** The canonical form (RFC 5952 for IPv6), always with the prefix length, as PostgreSQL's {@code cidr} prints it. */
    @Override
    public String toString() {
        try {
            return NetUtil.toAddressString(InetAddress.getByAddress(network)) + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }
}
