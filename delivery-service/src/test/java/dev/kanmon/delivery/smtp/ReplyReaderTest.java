package dev.kanmon.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kanmon.core.smtp.SmtpReply;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplyReaderTest {

    @Test
    void assemblesMultiLineRepliesAndParsesCapabilities() throws Exception {
        ReplyReader reader = new ReplyReader();
        assertThat(reader.accept("250-mx.example greets you")).isEmpty();
        assertThat(reader.accept("250-PIPELINING")).isEmpty();
        assertThat(reader.accept("250-SIZE 10240000")).isEmpty();
        assertThat(reader.accept("250-AUTH=LOGIN PLAIN")).isEmpty();
        assertThat(reader.accept("250-8BITMIME")).isEmpty();
        assertThat(reader.accept("250-DSN")).isEmpty();
        Optional<SmtpReply> reply = reader.accept("250 STARTTLS");
        assertThat(reply).isPresent();
        Capabilities caps = Capabilities.fromEhlo(reply.get());
        assertThat(caps.pipelining()).isTrue();
        assertThat(caps.maxSize()).isEqualTo(10240000);
        assertThat(caps.authMechanisms()).containsExactlyInAnyOrder("LOGIN", "PLAIN");
        assertThat(caps.eightBitMime()).isTrue();
        assertThat(caps.dsn()).isTrue();
        assertThat(caps.startTls()).isTrue();
        assertThat(caps.smtpUtf8()).isFalse();
    }

    @Test
    void splitsOffTheEnhancedCode() throws Exception {
        SmtpReply reply = new ReplyReader().accept("550 5.1.1 <x@y>: Recipient address rejected").orElseThrow();
        assertThat(reply.code()).isEqualTo(550);
        assertThat(reply.enhanced()).isEqualTo("5.1.1");
        assertThat(reply.lines()).containsExactly("<x@y>: Recipient address rejected");
        SmtpReply plain = new ReplyReader().accept("250 ok").orElseThrow();
        assertThat(plain.enhanced()).isNull();
        assertThat(new ReplyReader().accept("220").orElseThrow().lines()).isEqualTo(List.of(""));
    }

    @Test
    void refusesMalformedReplies() {
        assertThatThrownBy(() -> new ReplyReader().accept("hello")).isInstanceOf(SmtpProtocolException.class);
        assertThatThrownBy(() -> new ReplyReader().accept("999 what")).isInstanceOf(SmtpProtocolException.class);
        ReplyReader reader = new ReplyReader();
        assertThatThrownBy(() -> {
            reader.accept("250-first");
            reader.accept("251 second");
        }).isInstanceOf(SmtpProtocolException.class);
    }
}
