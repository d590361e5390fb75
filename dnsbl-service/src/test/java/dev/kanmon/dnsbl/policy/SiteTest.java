package dev.kanmon.dnsbl.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SiteTest {

    @Test
    void zoneOnlyHasWeightOneAndAnyCode() {
        Site s = Site.parse("bl.test");
        assertThat(s.zone()).isEqualTo("bl.test");
        assertThat(s.weight()).isEqualTo(1);
        assertThat(s.filter().matches("127.0.0.4")).isTrue();
    }

    @Test
    void filterAndWeight() {
        Site s = Site.parse(" zen.spamhaus.org=127.0.0.[10;11]*1 ");
        assertThat(s.zone()).isEqualTo("zen.spamhaus.org");
        assertThat(s.filter().matches("127.0.0.10")).isTrue();
        assertThat(s.filter().matches("127.0.0.2")).isFalse();
        assertThat(s.allowList()).isFalse();
    }

    @Test
    void negativeWeightIsAnAllowList() {
        Site s = Site.parse("list.dnswl.org=127.0.[0..255].[1..3]*-2");
        assertThat(s.weight()).isEqualTo(-2);
        assertThat(s.allowList()).isTrue();
        assertThat(Site.parse("WL.test.*-3").zone()).isEqualTo("wl.test");
    }

    @Test
    void rangeFilter() {
        Site s = Site.parse("bl.test=127.0.0.2-127.0.0.11*3");
        assertThat(s.weight()).isEqualTo(3);
        assertThat(s.filter().matches("127.0.0.11")).isTrue();
        assertThat(s.filter().matches("127.0.0.20")).isFalse();
    }

    @Test
    void badSitesAreRefused() {
        assertThatThrownBy(() -> Site.parse("bl.test*x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Site.parse("=127.0.0.2*1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Site.parse("bl test*1")).isInstanceOf(IllegalArgumentException.class);
    }
}
