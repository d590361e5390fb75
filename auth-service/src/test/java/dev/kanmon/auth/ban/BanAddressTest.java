package dev.kanmon.auth.ban;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** One canonical spelling per counted address. */
class BanAddressTest {

    @Test
    void ipv4IsKeptAndMappedIpv6BecomesIpv4() {
        assertThat(BanAddress.canonical("192.0.2.1", 64)).isEqualTo("192.0.2.1");
        assertThat(BanAddress.canonical(" 192.0.2.1 ", 64)).isEqualTo("192.0.2.1");
        assertThat(BanAddress.canonical("::ffff:192.0.2.1", 64)).isEqualTo("192.0.2.1");
    }

    @Test
    void ipv6IsItsNetworkOfThePrefixLength() {
        assertThat(BanAddress.canonical("2001:DB8:0:7:1::1", 64)).isEqualTo("2001:db8:0:7::/64");
        assertThat(BanAddress.canonical("2001:db8::7:ffff:ffff:ffff:ffff", 64)).isEqualTo("2001:db8:0:7::/64");
        assertThat(BanAddress.canonical("2001:db8:1:2ff::1", 56)).isEqualTo("2001:db8:1:200::/56");
        assertThat(BanAddress.canonical("2001:db8:0:7:1::1", 128)).isEqualTo("2001:db8:0:7:1::1");
        // an operator lifting the network as the API lists it
        assertThat(BanAddress.canonical("2001:db8:0:7::/64", 64)).isEqualTo("2001:db8:0:7::/64");
    }

    @Test
    void missingAddressIsOneBucketAndNothingIsLookedUp() {
        assertThat(BanAddress.canonical(null, 64)).isEqualTo(BanAddress.UNKNOWN);
        assertThat(BanAddress.canonical(" ", 64)).isEqualTo(BanAddress.UNKNOWN);
        assertThat(BanAddress.canonical("Relay.Example.Test", 64)).isEqualTo("relay.example.test");
        assertThat(BanAddress.canonical("a b", 64)).isEqualTo("a_b");
    }
}
