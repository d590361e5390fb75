package dev.kanmon.auth.ban;

import io.netty.util.NetUtil;
import java.util.Arrays;
import java.util.Locale;

/**
 * The canonical form of a client address for counting and banning: one spelling per address (so
 * {@code 2001:DB8::1} and {@code 2001:db8:0::1} are one counter), IPv4-mapped IPv6 as IPv4, and IPv6 as its network
 * of the configured prefix length ({@code 2001:db8:1:2::/64}): a subscriber's line holds a whole /64, and an
 * attacker must not get a fresh counter per address inside it.
 */
public final class BanAddress {

    /**
     * Stands for a request without a client address: such failures still count (all together), so leaving the
     * address out cannot buy unlimited guesses.
     */
    public static final String UNKNOWN = "unknown";

    private BanAddress() {
    }

    public static String canonical(String clientIp, int ipv6PrefixLength) {
        if (clientIp == null || clientIp.isBlank()) {
            return UNKNOWN;
        }
        String text = clientIp.strip();
        // Netty parses literals only: never a DNS query for whatever a caller sent
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
        if (bytes == null) {
            // not an address (e.g. an operator typing an IPv6 network as listed): kept as sent, without spaces
            return text.toLowerCase(Locale.ROOT).replace(' ', '_');
        }
        if (bytes.length == 16 && isIpv4Mapped(bytes)) {
            bytes = Arrays.copyOfRange(bytes, 12, 16);
        }
        if (bytes.length == 4 || ipv6PrefixLength >= 128) {
            return NetUtil.bytesToIpAddress(bytes);
        }
        int prefix = Math.max(0, ipv6PrefixLength);
        for (int bit = prefix; bit < 128; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return NetUtil.bytesToIpAddress(bytes) + "/" + prefix;
    }

    private static boolean isIpv4Mapped(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return false;
            }
        }
        return v6[10] == (byte) 0xff && v6[11] == (byte) 0xff;
    }
}
