package dev.kanmon.submission.message;

import static dev.kanmon.submission.message.Submissions.DATE;
import static dev.kanmon.submission.message.Submissions.alice;
import static dev.kanmon.submission.message.Submissions.bytes;
import static dev.kanmon.submission.message.Submissions.relay;
import static dev.kanmon.submission.message.Submissions.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class MessageFixupsTest {

    private static final String ID = "01KAXZ5D8T6Y3W2V1R0Q9P8N7M";
    private static final String RECEIVED = "Received: from laptop.example.test (client.example.test [192.0.2.1])\r\n"
            + "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)\r\n"
            + "\t(Authenticated sender: alice)\r\n"
            + "\tby relay.example.test (Kanmon) with ESMTPSA id " + ID + "\r\n"
            + "\tfor <bob@dest.test>; " + DATE + "\r\n";
    private static final String ADDED = "Date: " + DATE + "\r\nMessage-ID: <" + ID + "@relay.example.test>\r\n";

    private final MessageFixups fixups = new MessageFixups("relay.example.test", FromPolicy.OFF, ReceivedAuth.USER,
            NulPolicy.REJECT);

    private String apply(Submission s) {
        return text(fixups.apply(s, ID));
    }

    @Test
    void nulOctetsAreRefusedOrStripped() {
        String message = "Date: Mon, 2 Nov 2026 10:00:00 +0900\r\nMessage-ID: <x@y>\r\nSubject: n\u0000ul\r\n\r\n"
                + "\u0000bo\u0000dy\u0000\r\n";
        assertThatThrownBy(() -> apply(alice(message))).isInstanceOfSatisfying(MessageRejectedException.class,
                e -> assertThat(e.reply().toString()).startsWith("554 5.6.0 Message contains NUL octets"));
        MessageFixups strip = new MessageFixups("relay.example.test", FromPolicy.OFF, ReceivedAuth.USER,
                NulPolicy.STRIP);
        assertThat(text(strip.apply(alice(message), ID))).isEqualTo(RECEIVED + message.replace("\u0000", ""));
    }

    @Test
    void completeMessageOnlyGetsReceivedPrepended() {
        String message = "From: alice@example.test\r\nDate: Mon, 2 Nov 2026 10:00:00 +0900\r\n"
                + "Message-ID: <x@y>\r\nSubject: hi\r\n\r\nbody\r\n";
        assertThat(apply(alice(message))).isEqualTo(RECEIVED + message);
    }

    @Test
    void missingDateAndMessageIdAreAddedAtTheEndOfTheHeader() {
        assertThat(apply(alice("Subject: hi\r\n\r\nbody\r\n")))
                .isEqualTo(RECEIVED + "Subject: hi\r\n" + ADDED + "\r\nbody\r\n");
    }

    @Test
    void fieldNamesMatchCaseInsensitivelyAndFoldedFieldsStayIntact() {
        String message = "DATE:\r\n Mon, 2 Nov 2026 10:00:00 +0900\r\nmessage-id:\r\n\t<x@y>\r\n"
                + "Subject: a folded\r\n  subject\r\n\r\nbody\r\n";
        assertThat(apply(alice(message))).isEqualTo(RECEIVED + message);
    }

    @Test
    void headerEndingAtEndOfDataGetsTheSeparator() {
        assertThat(apply(alice("Subject: only a header\r\n")))
                .isEqualTo(RECEIVED + "Subject: only a header\r\n" + ADDED + "\r\n");
    }

    @Test
    void firstLineThatIsNotAHeaderMakesEverythingBody() {
        String body = "Hello Bob,\r\nSubject: not a header any more\r\n";
        assertThat(apply(alice(body))).isEqualTo(RECEIVED + ADDED + "\r\n" + body);
    }

    @Test
    void leadingWhiteSpaceIsNotAHeader() {
        String body = " indented first line\r\nSubject: x\r\n";
        assertThat(apply(alice(body))).isEqualTo(RECEIVED + ADDED + "\r\n" + body);
    }

    @Test
    void mboxFromLineIsNotAHeader() {
        String body = "From alice@example.test Thu Nov  5 01:04:08 2026\r\ntext\r\n";
        assertThat(apply(alice(body))).isEqualTo(RECEIVED + ADDED + "\r\n" + body);
    }

    @Test
    void separatorIsInsertedBeforeTheFirstLineThatIsNotAHeader() {
        assertThat(apply(alice("Subject: hi\r\nX-Folded: a\r\n b\r\nthis is body\r\n\r\nmore\r\n")))
                .isEqualTo(RECEIVED + "Subject: hi\r\nX-Folded: a\r\n b\r\n" + ADDED + "\r\nthis is body\r\n\r\nmore\r\n");
    }

    @Test
    void emptyBodyIsKept() {
        String message = "Date: x\r\nMessage-ID: <x@y>\r\n\r\n";
        assertThat(apply(alice(message))).isEqualTo(RECEIVED + message);
    }

    @Test
    void emptyMessageBecomesHeaderAndSeparator() {
        assertThat(apply(alice(""))).isEqualTo(RECEIVED + ADDED + "\r\n");
    }

    @Test
    void unterminatedLastHeaderLineIsEnded() {
        assertThat(apply(alice("Subject: from BDAT"))).isEqualTo(RECEIVED + "Subject: from BDAT\r\n" + ADDED + "\r\n");
    }

    @Test
    void eightBitBytesAreCopiedExactly() {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.writeBytes(bytes("Date: x\r\nMessage-ID: <x@y>\r\nSubject: 件名\r\nX-Raw: "));
        header.writeBytes(new byte[] {(byte) 0xff, (byte) 0x80, 0x01, (byte) 0xa4});
        header.writeBytes(bytes("\r\n\r\nこんにちは\r\n.leading dot kept\r\nbare\nlf and \r alone cr\r\n"));
        header.writeBytes(new byte[] {(byte) 0xfe, (byte) 0xed, '\r', '\n'});
        byte[] message = header.toByteArray();

        byte[] out = fixups.apply(alice(message), ID);

        byte[] received = bytes(RECEIVED);
        assertThat(out).startsWith(received).hasSize(received.length + message.length);
        assertThat(java.util.Arrays.copyOfRange(out, received.length, out.length)).isEqualTo(message);
    }

    @Test
    void unauthenticatedRelayOnPort25OnlyGetsTraceAndSeparator() {
        assertThat(apply(relay("Subject: relayed\r\n"))).isEqualTo(
                "Received: from old.example.test (unknown [IPv6:2001:db8::25])\r\n"
                        + "\tby relay.example.test (Kanmon) with SMTP id " + ID + ";\r\n"
                        + "\t" + DATE + "\r\n"
                        + "Subject: relayed\r\n\r\n");
    }
}
