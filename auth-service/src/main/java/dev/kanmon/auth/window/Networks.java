package dev.kanmon.auth.window;

import io.netty.util.NetUtil;
import java.util.Arrays;
import java.util.List;

/**
 * A list of IPv4/IPv6 networks in CIDR notation ({@code 192.0.2.0/24}, {@code 2001:db8::/32}, or a bare address),
 * parsed as literals only (never a DNS query). An IPv4-mapped IPv6 address matches IPv4 networks.
 */
final class Networks {

    private record Network(byte[] bits, int prefix) {
    }

    private final List<Network> networks;

    Networks(List<String> cidrs) {
        this.networks = cidrs.stream().map(String::strip).filter(s -> !s.isEmpty()).map(Networks::parse).toList();
    }

    boolean contains(String address) {
        byte[] a = address == null ? null : bytes(address.strip());
        if (a == null) {
            return false;
        }
        for (Network n : networks) {
            if (n.bits().length == a.length && Arrays.equals(mask(a, n.prefix()), n.bits())) {
                return true;
            }
        }
        return false;
    }

    private static Network parse(String cidr) {
        int slash = cidr.indexOf('/');
        byte[] a = bytes(slash < 0 ? cidr : cidr.substring(0, slash));
        if (a == null) {
            throw new IllegalArgumentException("not a network: " + cidr);
        }
        int prefix = slash < 0 ? a.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
        if (prefix < 0 || prefix > a.length * 8) {
            throw new IllegalArgumentException("bad prefix length: " + cidr);
        }
        return new Network(mask(a, prefix), prefix);
    }

    private static byte[] bytes(String literal) {
        byte[] a = NetUtil.createByteArrayFromIpAddressString(literal);
        if (a != null && a.length == 16 && Arrays.equals(Arrays.copyOf(a, 12),
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff})) {
            return Arrays.copyOfRange(a, 12, 16);
        }
        return a;
    }

    private static byte[] mask(byte[] a, int prefix) {
        byte[] m = a.clone();
        for (int bit = prefix; bit < m.length * 8; bit++) {
            m[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return m;
    }
}
