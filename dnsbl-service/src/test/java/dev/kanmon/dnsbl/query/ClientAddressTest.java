package dev.kanmon.dnsbl.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClientAddressTest {

    @Test
    void ipv4OctetsAreReversed() {
        // RFC 5782 §2.1: 192.0.2.99 is looked up as 99.2.0.192.<zone>
        assertThat(ClientAddress.parse("192.0.2.99").queryName("bl.test")).isEqualTo("99.2.0.192.bl.test");
        assertThat(ClientAddress.parse("127.0.0.2").queryName("zen.spamhaus.org"))
                .isEqualTo("2.0.0.127.zen.spamhaus.org");
    }

    @Test
    void ipv6IsQueriedAsReversedNibbles() {
        // RFC 5782 §2.4 example
        assertThat(ClientAddress.parse("2001:db8:1:2:3:4:567:89ab").queryName("ugly.example.com"))
                .isEqualTo("b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ugly.example.com");
        assertThat(ClientAddress.parse("2001:DB8:BAD::5").queryName("bl.test"))
                .isEqualTo("5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.a.b.0.8.b.d.0.1.0.0.2.bl.test");
    }

    @Test
    void canonicalText() {
        ClientAddress v6 = ClientAddress.parse("2001:0db8:0bad:0000:0000:0000:0000:0005");
        assertThat(v6.text()).isEqualTo("2001:db8:bad::5");
        assertThat(v6.ipv4()).isFalse();
    }

    @Test
    void ipv4MappedIpv6IsTheIpv4Client() {
        ClientAddress mapped = ClientAddress.parse("::ffff:127.0.0.2");
        assertThat(mapped.ipv4()).isTrue();
        assertThat(mapped.queryName("bl.test")).isEqualTo("2.0.0.127.bl.test");
    }

    @Test
    void onlyLiteralsAreAccepted() {
        // A host name must not reach InetAddress.getByName: that would be a DNS lookup driven by the caller.
        assertThatThrownBy(() -> ClientAddress.parse("localhost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientAddress.parse("192.0.2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientAddress.parse("192.0.2.256")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientAddress.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientAddress.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
