package dev.kanmon.core.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SmtpReplyTest {

    @Test
    void multiLineReplyRepeatsEnhancedCodeOnEveryLine() {
        SmtpReply r = new SmtpReply(451, "4.3.0", List.of("Queue unavailable", "Try again later"));
        assertThat(r.render()).isEqualTo("451-4.3.0 Queue unavailable\r\n451 4.3.0 Try again later\r\n");
        assertThat(r.transientFailure()).isTrue();
    }

    @Test
    void replyWithoutEnhancedCode() {
        assertThat(SmtpReply.of(220, "relay ESMTP").render()).isEqualTo("220 relay ESMTP\r\n");
    }
}
