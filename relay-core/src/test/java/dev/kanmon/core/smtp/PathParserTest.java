package dev.kanmon.core.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathParserTest {

    @Test
    void plainMailboxAndEndOffset() throws Exception {
        PathParser.Parsed p = PathParser.reversePath("<alice@example.test> SIZE=10", 0, false);
        assertThat(p.path().address()).isEqualTo("alice@example.test");
        assertThat(p.path().mailbox().normalizedDomain()).isEqualTo("example.test");
        assertThat(p.end()).isEqualTo(20);
        assertThat(p.path().hasRelayTricks()).isFalse();
    }

    @Test
    void nullReversePathOnlyForMail() throws Exception {
        assertThat(PathParser.reversePath("<>", 0, false).path().isNull()).isTrue();
        assertThatThrownBy(() -> PathParser.forwardPath("<>", 0, false)).isInstanceOf(SmtpSyntaxException.class);
    }

    @Test
    void quotedLocalPartIsUnquotedAndRequotedCanonically() throws Exception {
        Path p = PathParser.forwardPath("<\"john \\\"q\\\" doe\"@example.test>", 0, false).path();
        assertThat(p.mailbox().localPart()).isEqualTo("john \"q\" doe");
        assertThat(p.mailbox().quoted()).isTrue();
        assertThat(p.address()).isEqualTo("\"john \\\"q\\\" doe\"@example.test");
    }

    @Test
    void sourceRouteIsParsedAndFlagged() throws Exception {
        Path p = PathParser.forwardPath("<@relay.test,@hop.test:user@other.test>", 0, false).path();
        assertThat(p.route()).containsExactly("relay.test", "hop.test");
        assertThat(p.address()).isEqualTo("user@other.test");
        assertThat(p.hasRelayTricks()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"<user%other.test@relay.test>", "<other.test!user@relay.test>",
            "<\"user@other.test\"@relay.test>", "<@relay.test:user@other.test>", "<\"user%other\"@relay.test>"})
    void classicRelayTricksAreRecognised(String path) throws Exception {
        assertThat(PathParser.forwardPath(path, 0, false).path().hasRelayTricks()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"user@other.test@relay.test", "<user@other.test@relay.test>", "<user>", "<@relay.test>",
            "<a..b@x.test>", "<.a@x.test>", "<a@-x.test>", "<a@x-.test>", "<a@x..test>", "<a b@x.test>",
            "<a@x.test", "<a@[1.2.3]>", "<a@[300.1.1.1]>", "<a@[IPv6:zz::1]>", "<a@[foo:bar]>", "<\"\"@x.test>",
            "<a@x.test\u0000>", "<josé@x.test>", "<a@bücher.test>"})
    void malformedOrNonAsciiWithoutSmtpUtf8IsRejected(String path) {
        assertThatThrownBy(() -> PathParser.forwardPath(path, 0, false)).isInstanceOf(SmtpSyntaxException.class);
    }

    @Test
    void addressLiterals() throws Exception {
        assertThat(PathParser.forwardPath("<a@[192.0.2.1]>", 0, false).path().mailbox().addressLiteral()).isTrue();
        assertThat(PathParser.forwardPath("<a@[IPv6:2001:db8::1]>", 0, false).path().address())
                .isEqualTo("a@[IPv6:2001:db8::1]");
    }

    @Test
    void utf8LocalPartsAndIdnDomainsUnderSmtpUtf8() throws Exception {
        Path p = PathParser.forwardPath("<josé@bücher.test>", 0, true).path();
        assertThat(p.mailbox().localPart()).isEqualTo("josé");
        assertThat(p.mailbox().domain()).isEqualTo("bücher.test");
        assertThat(PathParser.forwardPath("<用户@例子.测试>", 0, true).path().address()).isEqualTo("用户@例子.测试");
    }

    @Test
    void lengthLimits() {
        String local = "a".repeat(65);
        assertThatThrownBy(() -> PathParser.forwardPath("<" + local + "@x.test>", 0, false))
                .hasMessageContaining("local part");
        String label = "b".repeat(64);
        assertThatThrownBy(() -> PathParser.forwardPath("<a@" + label + ".test>", 0, false))
                .isInstanceOf(SmtpSyntaxException.class);
    }

    @Test
    void bareMailbox() throws Exception {
        assertThat(PathParser.mailbox("Alice@Example.Test", false).normalizedDomain()).isEqualTo("example.test");
    }
}
