package dev.kanmon.core.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EsmtpParametersTest {

    @Test
    void keywordsAreUpperCasedValuesKept() throws Exception {
        assertThat(EsmtpParameters.parse(" size=100 BODY=8BITMIME SMTPUTF8 ENVID=a+2Bb", 0, false)).containsExactly(
                new EsmtpParameter("SIZE", "100"), new EsmtpParameter("BODY", "8BITMIME"),
                new EsmtpParameter("SMTPUTF8", null), new EsmtpParameter("ENVID", "a+2Bb"));
    }

    @Test
    void emptyAndTrailingSpaces() throws Exception {
        assertThat(EsmtpParameters.parse("", 0, false)).isEmpty();
        assertThat(EsmtpParameters.parse("  ", 0, false)).isEmpty();
    }

    @Test
    void syntaxErrors() {
        assertThatThrownBy(() -> EsmtpParameters.parse("SIZE=1", 0, false)).isInstanceOf(SmtpSyntaxException.class);
        assertThatThrownBy(() -> EsmtpParameters.parse(" SIZE=", 0, false)).isInstanceOf(SmtpSyntaxException.class);
        assertThatThrownBy(() -> EsmtpParameters.parse(" -X=1", 0, false)).isInstanceOf(SmtpSyntaxException.class);
        assertThatThrownBy(() -> EsmtpParameters.parse(" SIZE=1 size=2", 0, false)).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> EsmtpParameters.parse(" A=b=c", 0, false)).isInstanceOf(SmtpSyntaxException.class);
        assertThatThrownBy(() -> EsmtpParameters.parse(" ORCPT=é", 0, false)).isInstanceOf(SmtpSyntaxException.class);
    }
}
