package dev.kanmon.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void containsAddressesOfItsFamilyOnly() {
        assertThat(Cidr.parse("192.0.2.0/24").contains("192.0.2.255")).isTrue();
        assertThat(Cidr.parse("192.0.2.0/24").contains("192.0.3.0")).isFalse();
        assertThat(Cidr.parse("::1/128").contains("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(Cidr.parse("0.0.0.0/0").contains("::1")).isFalse();
        assertThat(Cidr.parse("192.0.2.7").contains("192.0.2.7")).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains("not-an-ip")).isFalse();
        assertThat(Cidr.parse("10.0.0.0/8").contains(null)).isFalse();
    }

    @Test
    void ipv4MappedIpv6IsIpv4() {
        assertThat(Cidr.parse("192.0.2.0/24").contains("::ffff:192.0.2.9")).isTrue();
        assertThat(Cidr.parseExact("::ffff:192.0.2.9")).hasToString("192.0.2.9/32");
    }

    @Test
    void configuredNetworksLoseTheirHostBits() {
        assertThat(Cidr.parse("10.1.2.3/8")).isEqualTo(Cidr.parse("10.0.0.0/8")).hasToString("10.0.0.0/8");
        assertThat(Cidr.anyContains(Cidr.parseAll(List.of(" ", "10.1.2.3/8")), "10.200.0.1")).isTrue();
    }

    @Test
    void operatorInputIsCanonicalAndExact() {
        assertThat(Cidr.parseExact("198.51.100.0/24")).hasToString("198.51.100.0/24");
        assertThat(Cidr.parseExact(" 198.51.100.7 ")).hasToString("198.51.100.7/32");
        assertThat(Cidr.parseExact("2001:DB8:0::/32")).hasToString("2001:db8::/32");
        assertThat(Cidr.parseExact("2001:db8::1")).hasToString("2001:db8::1/128");
        assertThat(Cidr.parseExact("0.0.0.0/0")).hasToString("0.0.0.0/0");
        assertThatThrownBy(() -> Cidr.parseExact("198.51.100.7/24")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("198.51.100.0/24");
    }

    @Test
    void garbageIsRefusedWithoutALookup() {
        for (String bad : new String[] {"example.test", "198.51.100.0/33", "198.51.100.0/x", "", " ", "localhost"}) {
            assertThatThrownBy(() -> Cidr.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Cidr.parseExact(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
