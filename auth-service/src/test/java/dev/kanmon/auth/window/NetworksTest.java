package dev.kanmon.auth.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetworksTest {

    private final Networks networks = new Networks(List.of("100.64.0.0/10", " 2001:db8:ff::/48 ", "192.0.2.9", ""));

    @Test
    void matchesAddressesInsideTheNetworksOnly() {
        assertThat(networks.contains("100.64.0.1")).isTrue();
        assertThat(networks.contains("100.127.255.254")).isTrue();
        assertThat(networks.contains("100.128.0.1")).isFalse();
        assertThat(networks.contains("2001:db8:ff:1::7")).isTrue();
        assertThat(networks.contains("2001:db8:fe::7")).isFalse();
        assertThat(networks.contains("192.0.2.9")).isTrue();
        assertThat(networks.contains("192.0.2.10")).isFalse();
    }

    @Test
    void ipv4MappedIpv6IsItsIpv4AddressAndNamesAreNeverResolved() {
        assertThat(networks.contains("::ffff:100.64.3.4")).isTrue();
        assertThat(networks.contains("localhost")).isFalse();
        assertThat(networks.contains(null)).isFalse();
        assertThatThrownBy(() -> new Networks(List.of("example.test/24"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Networks(List.of("192.0.2.0/33"))).isInstanceOf(IllegalArgumentException.class);
    }
}
