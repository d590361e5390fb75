package dev.kanmon.delivery.mx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MxOrderingTest {

    @Test
    void sortsByPreference() {
        List<MxHost> ordered = MxOrdering.order(List.of(new MxHost("c", 30), new MxHost("a", 10), new MxHost("b", 20)), new Random(1));
        assertThat(ordered).extracting(MxHost::name).containsExactly("a", "b", "c");
    }

    @Test
    void shufflesEqualPreferencesButKeepsTheGroupsInOrder() {
        List<MxHost> records = List.of(new MxHost("x1", 10), new MxHost("x2", 10), new MxHost("x3", 10), new MxHost("backup", 20));
        Set<String> firsts = new HashSet<>();
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            List<MxHost> ordered = MxOrdering.order(records, random);
            assertThat(ordered.get(3).name()).isEqualTo("backup");
            assertThat(ordered.subList(0, 3)).extracting(MxHost::name).containsExactlyInAnyOrder("x1", "x2", "x3");
            firsts.add(ordered.get(0).name());
        }
        assertThat(firsts).as("every equal-preference host comes first sometimes").containsExactlyInAnyOrder("x1", "x2", "x3");
    }

    /** NXDOMAIN is an answer (5.1.2, MxResolverTest); a lookup without an answer is never a bounce. */
    @Test
    void dnsFailuresAreTemporary() {
        Route.Unroutable servfail = (Route.Unroutable) MxResolver.dnsFailure("x.test",
                new DnsLookupException("MX x.test: SERVFAIL", null));
        assertThat(servfail.permanent()).isFalse();
        assertThat(servfail.enhanced()).isEqualTo("4.4.3");
        Route.Unroutable timeout = (Route.Unroutable) MxResolver.dnsFailure("x.test",
                new DnsLookupException("MX x.test: query timed out", null));
        assertThat(timeout.permanent()).isFalse();
        assertThat(timeout.enhanced()).isEqualTo("4.4.3");
    }
}
