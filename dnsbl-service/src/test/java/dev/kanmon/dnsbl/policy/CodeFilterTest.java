package dev.kanmon.dnsbl.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CodeFilterTest {

    @Test
    void rangeForm() {
        CodeFilter f = CodeFilter.parse("127.0.0.2-127.0.0.11");
        assertThat(f.matches("127.0.0.2")).isTrue();
        assertThat(f.matches("127.0.0.11")).isTrue();
        assertThat(f.matches("127.0.0.1")).isFalse();
        assertThat(f.matches("127.0.0.12")).isFalse();
        assertThat(f.matches("127.255.255.254")).isFalse();
    }

    @Test
    void rangeAcrossOctets() {
        CodeFilter f = CodeFilter.parse("127.0.0.250-127.0.1.5");
        assertThat(f.matches("127.0.0.255")).isTrue();
        assertThat(f.matches("127.0.1.0")).isTrue();
        assertThat(f.matches("127.0.1.6")).isFalse();
    }

    @Test
    void postscreenPatterns() {
        CodeFilter pbl = CodeFilter.parse("127.0.0.[10;11]");
        assertThat(pbl.matches("127.0.0.10")).isTrue();
        assertThat(pbl.matches("127.0.0.11")).isTrue();
        assertThat(pbl.matches("127.0.0.2")).isFalse();

        // Postfix' documented DNSWL example: any trust level 1..3
        CodeFilter dnswl = CodeFilter.parse("127.0.[0..255].[1..3]");
        assertThat(dnswl.matches("127.0.15.2")).isTrue();
        assertThat(dnswl.matches("127.0.15.0")).isFalse();

        CodeFilter mixed = CodeFilter.parse("127.0.0.[2..4;9]");
        assertThat(mixed.matches("127.0.0.3")).isTrue();
        assertThat(mixed.matches("127.0.0.9")).isTrue();
        assertThat(mixed.matches("127.0.0.5")).isFalse();

        assertThat(CodeFilter.parse("127.0.0.2").matches("127.0.0.2")).isTrue();
        assertThat(CodeFilter.parse("127.0.0.2").matches("127.0.0.3")).isFalse();
    }

    @Test
    void anyIsLoopbackOnly() {
        // RFC 5782 §2.3: listings are 127/8; anything else (a hijacking resolver's wildcard) is not one
        assertThat(CodeFilter.any().matches("127.0.0.2")).isTrue();
        assertThat(CodeFilter.any().matches("127.1.2.3")).isTrue();
        assertThat(CodeFilter.any().matches("192.0.2.1")).isFalse();
        assertThat(CodeFilter.any().matches("not an address")).isFalse();
    }

    @Test
    void badFiltersAreRefused() {
        assertThatThrownBy(() -> CodeFilter.parse("127.0.0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CodeFilter.parse("127.0.0.[2..256]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CodeFilter.parse("127.0.0.[5..2]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CodeFilter.parse("127.0.0.11-127.0.0.2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CodeFilter.parse("127.0.0.x")).isInstanceOf(IllegalArgumentException.class);
    }
}
