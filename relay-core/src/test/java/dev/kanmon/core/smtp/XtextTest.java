package dev.kanmon.core.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class XtextTest {

    @Test
    void decodesEscapes() throws Exception {
        assertThat(Xtext.decode("abc")).isEqualTo("abc");
        assertThat(Xtext.decode("rfc822;a+2Bb@x.test")).isEqualTo("rfc822;a+b@x.test");
        assertThat(Xtext.decode("x+3Dy+20z")).isEqualTo("x=y z");
    }

    @Test
    void rejectsMalformed() {
        assertThatThrownBy(() -> Xtext.decode("a+2")).isInstanceOf(SmtpSyntaxException.class);
        assertThatThrownBy(() -> Xtext.decode("a+2b")).isInstanceOf(SmtpSyntaxException.class);
        assertThatThrownBy(() -> Xtext.decode("a=b")).isInstanceOf(SmtpSyntaxException.class);
        assertThatThrownBy(() -> Xtext.decode("a b")).isInstanceOf(SmtpSyntaxException.class);
        // Octets that are not UTF-8 (found by SmtpGrammarFuzzTest#xtext): an error, not U+FFFD.
        assertThatThrownBy(() -> Xtext.decode("+FF")).isInstanceOf(SmtpSyntaxException.class);
        assertThatThrownBy(() -> Xtext.decode("+C0+AF")).isInstanceOf(SmtpSyntaxException.class);
    }

    @Test
    void roundTrip() throws Exception {
        String v = "id=1 +ü";
        assertThat(Xtext.decode(Xtext.encode(v))).isEqualTo(v);
    }
}
