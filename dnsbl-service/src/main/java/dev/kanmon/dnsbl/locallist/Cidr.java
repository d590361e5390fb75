package dev.kanmon.dnsbl.locallist;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** A validated network in CIDR notation, normalised to what PostgreSQL's {@code cidr} type prints. */
public final class Cidr {

    private Cidr() {
    }

    /**
     * Accepts {@code 198.51.100.0/24}, {@code 2001:db8::/32} or a bare address (a single host). Host bits must be zero:
     * {@code 198.51.100.7/24} is refused rather than silently widened, since it is most likely a typo.
     *
     * @return the canonical form, always with a prefix length
     * @throws IllegalArgumentException with a message fit for the API client
     */
    public static String normalize(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("cidr is required");
        }
        String s = text.strip();
        int slash = s.indexOf('/');
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(slash < 0 ? s : s.substring(0, slash));
        if (bytes == null) {
            throw new IllegalArgumentException("not an IP network: " + s);
        }
        // IPv4-mapped IPv6 is stored as IPv4, as ClientAddress matches it as IPv4.
        InetAddress address;
        try {
            address = InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP network: " + s, e);
        }
        bytes = address.getAddress();
        int max = bytes.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? max : Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length: " + s, e);
        }
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("prefix length out of range: " + s);
        }
        for (int bit = prefix; bit < max; bit++) {
            if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                throw new IllegalArgumentException("host bits set in " + s + "; did you mean "
                        + NetUtil.toAddressString(mask(bytes, prefix)) + "/" + prefix + "?");
            }
        }
        return NetUtil.toAddressString(address) + "/" + prefix;
    }

    private static InetAddress mask(byte[] bytes, int prefix) {
        byte[] masked = bytes.clone();
        for (int bit = prefix; bit < masked.length * 8; bit++) {
            masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(masked);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
