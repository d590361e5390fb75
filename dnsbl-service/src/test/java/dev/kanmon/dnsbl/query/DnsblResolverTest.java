package dev.kanmon.dnsbl.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class DnsblResolverTest {

    @Test
    void serverAddresses() {
        assertThat(DnsblResolver.parseServer("127.0.0.1:5301")).isEqualTo(new InetSocketAddress("127.0.0.1", 5301));
        assertThat(DnsblResolver.parseServer("127.0.0.1")).isEqualTo(new InetSocketAddress("127.0.0.1", 53));
        assertThat(DnsblResolver.parseServer("[::1]:5301")).isEqualTo(new InetSocketAddress("::1", 5301));
        assertThat(DnsblResolver.parseServer("::1")).isEqualTo(new InetSocketAddress("::1", 53));
    }

    @Test
    void zonesAreNormalized() {
        assertThat(DnsblResolver.normalizeZone(" BL.Test. ")).isEqualTo("bl.test");
    }
}
