package dev.kanmon.dnsbl.locallist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void networksAreNormalized() {
        assertThat(Cidr.normalize("198.51.100.0/24")).isEqualTo("198.51.100.0/24");
        assertThat(Cidr.normalize(" 198.51.100.7 ")).isEqualTo("198.51.100.7/32");
        assertThat(Cidr.normalize("2001:DB8:0::/32")).isEqualTo("2001:db8::/32");
        assertThat(Cidr.normalize("2001:db8::1")).isEqualTo("2001:db8::1/128");
        assertThat(Cidr.normalize("0.0.0.0/0")).isEqualTo("0.0.0.0/0");
    }

    @Test
    void hostBitsAreRefusedWithTheLikelyMeaning() {
        assertThatThrownBy(() -> Cidr.normalize("198.51.100.7/24"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("198.51.100.0/24");
    }

    @Test
    void garbageIsRefused() {
        assertThatThrownBy(() -> Cidr.normalize("example.test")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.normalize("198.51.100.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.normalize("198.51.100.0/x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.normalize(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
