package dev.kanmon.submission.smtp.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.message.MessageRejectedException;
import dev.kanmon.submission.smtp.Dialogue;
import dev.kanmon.submission.smtp.ListenerKind;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** DATA in memory: sequence, dot-unstuffing, limits, bare line ends and the queue's verdict as the reply. */
class DataHandlerTest {

    private static Dialogue transaction(Dialogue.Setup setup) {
        Dialogue d = setup.from("127.0.0.1").open();
        d.send("EHLO client.test").replies();
        d.send("MAIL FROM:<a@far.test>").expect("250 2.1.0");
        return d;
    }

    @Test
    void needsARecipient() {
        try (Dialogue d = Dialogue.on(ListenerKind.SMTP).from("127.0.0.1").open()) {
            d.send("EHLO client.test").replies();
            d.send("DATA").expect("503 5.5.1 Error: need MAIL command");
            d.send("MAIL FROM:<a@far.test>").expect("250 2.1.0");
            d.send("DATA").expect("554 5.5.1 Error: no valid recipients");
            d.send("DATA now").expect("501 5.5.4 Syntax: DATA");
        }
    }

    @Test
    void contentIsUnstuffedAndQueuedOnlyAtTheEnd() {
        try (Dialogue d = transaction(Dialogue.on(ListenerKind.SMTP))) {
            d.send("RCPT TO:<x@far.test>").expect("250 2.1.5");
            d.send("DATA").expect("354 End data with <CR><LF>.<CR><LF>");
            d.raw("Subject: t\r\n\r\n..dot\r\n");
            assertThat(d.replies()).isEmpty();
            d.raw(".\r\n").expect("250 2.0.0 Ok: queued as Q1");
            assertThat(d.queued().get(0).content().toString(StandardCharsets.UTF_8))
                    .isEqualTo("Subject: t\r\n\r\n.dot\r\n");
            // the transaction is over
            d.send("RCPT TO:<x@far.test>").expect("503 5.5.1");
        }
    }

    @Test
    void tooBigContentIsReadToTheEndAndRefused() {
        try (Dialogue d = transaction(Dialogue.on(ListenerKind.SMTP).maxMessageSize(10))) {
            d.send("RCPT TO:<x@far.test>").expect("250 2.1.5");
            d.send("DATA").expect("354");
            d.raw("0123456789abcdef\r\n.\r\nNOOP\r\n").expect("552 5.3.4", "250 2.0.0 Ok");
            assertThat(d.queued()).isEmpty();
        }
    }

    @Test
    void bareLineEndingsAreRefusedOrNormalized() {
        try (Dialogue d = transaction(Dialogue.on(ListenerKind.SMTP))) {
            d.send("RCPT TO:<x@far.test>").expect("250 2.1.5");
            d.send("DATA").expect("354");
            d.raw("a\nb\r\n.\r\n").expect("550 5.5.2 Message contains bare CR or LF");
        }
        try (Dialogue d = transaction(Dialogue.on(ListenerKind.SMTP).normalizeBareLineEndings())) {
            d.send("RCPT TO:<x@far.test>").expect("250 2.1.5");
            d.send("DATA").expect("354");
            d.raw("a\nb\r\n.\r\n").expect("250 2.0.0");
            assertThat(d.queued().get(0).content().toString(StandardCharsets.UTF_8)).isEqualTo("a\r\nb\r\n");
        }
    }

    @Test
    void theQueuesRefusalIsTheReplyAndAFailureIsTemporary() {
        SmtpReply policy = SmtpReply.of(550, "5.7.1", "From header rejected");
        try (Dialogue d = transaction(Dialogue.on(ListenerKind.SMTP)
                .queue(s -> Future.failedFuture(new MessageRejectedException(policy, "header_from"))))) {
            d.send("RCPT TO:<x@far.test>").expect("250 2.1.5");
            d.send("DATA").expect("354");
            d.raw(".\r\n").expect("550 5.7.1 From header rejected");
        }
        try (Dialogue d = transaction(Dialogue.on(ListenerKind.SMTP)
                .queue(s -> Future.failedFuture(new IllegalStateException("broker down"))))) {
            d.send("RCPT TO:<x@far.test>").expect("250 2.1.5");
            d.send("DATA").expect("354");
            d.raw(".\r\n").expect("451 4.3.0 Queue temporarily unavailable");
        }
    }

    @Test
    void pipelinedCommandsWaitForTheQueuesAnswer() {
        try (Dialogue d = transaction(Dialogue.on(ListenerKind.SMTP))) {
            d.raw("RCPT TO:<x@far.test>\r\nDATA\r\n").expect("250 2.1.5", "354");
            d.raw("body\r\n.\r\nMAIL FROM:<b@far.test>\r\nRCPT TO:<y@far.test>\r\n")
                    .expect("250 2.0.0 Ok: queued as Q1", "250 2.1.0", "250 2.1.5");
        }
    }
}
