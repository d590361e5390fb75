package dev.kanmon.submission.smtp.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.core.smtp.PathParser;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RelayPolicyTest {

    private final RelayPolicy policy = new RelayPolicy(List.of("127.0.0.1/32", "10.0.0.0/8", "2001:db8::/32"),
            List.of("Relay.Test"));

    private boolean may(String ip, String path) throws Exception {
        return policy.mayRelay(ip, PathParser.forwardPath(path, 0, false).path());
    }

    @Test
    void trustedNetworksRelayAnywhere() throws Exception {
        assertThat(may("127.0.0.1", "<a@far.test>")).isTrue();
        assertThat(may("10.200.1.1", "<a@far.test>")).isTrue();
        assertThat(may("2001:db8:0:0:0:0:0:9", "<a@far.test>")).isTrue();
        assertThat(may("127.0.0.2", "<a@far.test>")).isFalse();
        assertThat(may("11.0.0.1", "<a@far.test>")).isFalse();
    }

    @Test
    void relayDomainsAreCaseInsensitive() throws Exception {
        assertThat(may("192.0.2.1", "<a@relay.test>")).isTrue();
        assertThat(may("192.0.2.1", "<a@RELAY.TEST>")).isTrue();
        assertThat(may("192.0.2.1", "<a@sub.relay.test>")).isFalse();
    }

    /** The open-relay probes of nmap's smtp-open-relay and friends, aimed at a relay domain. */
    @ParameterizedTest
    @ValueSource(strings = {"<victim%far.test@relay.test>", "<far.test!victim@relay.test>",
            "<\"victim@far.test\"@relay.test>", "<@relay.test:victim@far.test>", "<@relay.test,@x.test:victim@far.test>",
            "<\"victim%far.test\"@relay.test>", "<victim@[192.0.2.9]>", "<\"far.test!victim\"@relay.test>"})
    void relayTricksAreRefusedForUntrustedClients(String path) throws Exception {
        assertThat(may("192.0.2.1", path)).isFalse();
    }
}
