package dev.kanmon.dnsbl.query;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** A client IP address literal and its DNSBL query label (RFC 5782 §2.1 reversed octets, §2.4 IPv6 nibbles). */
public final class ClientAddress {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final InetAddress address;
    private final String reversed;

    private ClientAddress(InetAddress address) {
        this.address = address;
        this.reversed = reverse(address.getAddress());
    }

    /**
     * Parses a literal only: {@code InetAddress.getByName} would send a DNS query for anything else. IPv4-mapped IPv6
     * ({@code ::ffff:192.0.2.1}) becomes the IPv4 address, as the client really is an IPv4 host.
     *
     * @throws IllegalArgumentException when {@code ip} is not an IPv4 or IPv6 literal
     */
    public static ClientAddress parse(String ip) {
        byte[] bytes = ip == null ? null : NetUtil.createByteArrayFromIpAddressString(ip.strip());
        if (bytes == null) {
            throw new IllegalArgumentException("not an IP address: " + ip);
        }
        try {
            return new ClientAddress(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + ip, e);
        }
    }

    public InetAddress address() {
        return address;
    }

    public boolean ipv4() {
        return address instanceof Inet4Address;
    }

    /** Canonical text: dotted quad, or RFC 5952 compressed IPv6. */
    public String text() {
        return NetUtil.toAddressString(address);
    }

    /** The name to query in {@code zone}: {@code 2.0.0.127.bl.test}. */
    public String queryName(String zone) {
        return reversed + zone;
    }

    static String reverse(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length == 4 ? 16 : 64);
        for (int i = bytes.length - 1; i >= 0; i--) {
            int b = bytes[i] & 0xff;
            if (bytes.length == 4) {
                sb.append(b).append('.');
            } else {
                sb.append(HEX[b & 0xf]).append('.').append(HEX[b >>> 4]).append('.');
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text();
    }
}
