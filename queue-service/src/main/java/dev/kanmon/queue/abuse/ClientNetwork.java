package dev.kanmon.queue.abuse;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The network of a client address (an IPv4 /24, an IPv6 /48 by default): what "a new network" compares. */
final class ClientNetwork {

    private ClientNetwork() {
    }

    /** {@code 192.0.2.0/24}; null for something that is not an IP literal (never resolved). */
    static String of(String address, int v4Prefix, int v6Prefix) {
        if (address == null || address.isBlank() || !address.matches("[0-9A-Fa-f:.]+")) {
            return null;
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            int prefix = bytes.length == 4 ? v4Prefix : v6Prefix;
            for (int bit = prefix; bit < bytes.length * 8; bit++) {
                bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
            }
            return InetAddress.getByAddress(bytes).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
