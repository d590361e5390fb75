package dev.kanmon.submission.smtp.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.submission.smtp.Dialogue;
import dev.kanmon.submission.smtp.ListenerKind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** BDAT in memory (RFC 3030): chunks are read even when the command is refused, and the reply follows the chunk. */
class BdatHandlerTest {

    private static Dialogue transaction(Dialogue.Setup setup) {
        Dialogue d = setup.from("127.0.0.1").open();
        d.send("EHLO client.test").replies();
        d.send("MAIL FROM:<a@far.test>").expect("250 2.1.0");
        return d;
    }

    @Test
    void chunksMakeOneMessage() {
        try (Dialogue d = transaction(Dialogue.on(ListenerKind.SMTP))) {
            d.send("RCPT TO:<x@far.test>").expect("250 2.1.5");
            d.raw("BDAT 5\r\nab\r\nc").expect("250 2.0.0 Ok: 5 octets received");
            d.raw("BDAT 0 LAST\r\n").expect("250 2.0.0 Ok: queued as Q1");
            assertThat(d.queued().get(0).content().toString(StandardCharsets.UTF_8)).isEqualTo("ab\r\nc");
            d.send("DATA").expect("503 5.5.1 Error: need MAIL command");
        }
    }

    @Test
    void aRefusedChunkIsSkippedNotExecuted() {
        try (Dialogue d = transaction(Dialogue.on(ListenerKind.SMTP))) {
            // no recipient yet: the 6 octets "QUIT\r\n" are content to skip, not a command
            d.raw("BDAT 6\r\nQUIT\r\n").expect("554 5.5.1 Error: no valid recipients");
            assertThat(d.closed()).isFalse();
            d.send("RSET").expect("250 2.0.0");
            d.raw("BDAT 6 LAST\r\nQUIT\r\n").expect("503 5.5.1 Error: need MAIL command");
            assertThat(d.closed()).isFalse();
        }
    }

    @Test
    void aChunkWithoutASizeIsASyntaxError() {
        try (Dialogue d = transaction(Dialogue.on(ListenerKind.SMTP))) {
            d.send("BDAT").expect("501 5.5.4 Syntax: BDAT chunk-size [LAST]");
            d.send("BDAT 5 NOW").expect("501 5.5.4");
            d.send("BDAT -1").expect("501 5.5.4");
        }
    }

    @Test
    void dataMayNotFollowBdatAndOversizeEndsTheTransaction() {
        try (Dialogue d = transaction(Dialogue.on(ListenerKind.SMTP).maxMessageSize(4))) {
            d.send("RCPT TO:<x@far.test>").expect("250 2.1.5");
            d.raw("BDAT 2\r\nab").expect("250 2.0.0 Ok: 2 octets received");
            d.send("DATA").expect("503 5.5.1 Error: DATA after BDAT");
            d.send("RCPT TO:<y@far.test>").expect("503 5.5.1");
            d.raw("BDAT 3 LAST\r\ncde").expect("552 5.3.4");
            assertThat(d.queued()).isEmpty();
            d.send("MAIL FROM:<a@far.test>").expect("250 2.1.0");
        }
    }

    @Test
    void bareLineEndingsInTheLastChunkAreRefused() {
        try (Dialogue d = transaction(Dialogue.on(ListenerKind.SMTP))) {
            d.send("RCPT TO:<x@far.test>").expect("250 2.1.5");
            d.raw("BDAT 4 LAST\r\na\nb\n").expect("550 5.5.2 Message contains bare CR or LF");
        }
    }
}
