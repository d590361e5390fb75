package dev.kanmon.e2e;

import static dev.kanmon.e2e.E2eStack.ALICE;
import static dev.kanmon.e2e.E2eStack.ALICE_ADDRESS;
import static dev.kanmon.e2e.E2eStack.ALICE_PASSWORD;
import static dev.kanmon.e2e.E2eStack.BOB_ADDRESS;
import static dev.kanmon.e2e.E2eStack.HOST;
import static dev.kanmon.e2e.E2eStack.SUBMISSIONS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Message fix-ups of a submission server (RFC 6409 section 8; Postfix behaviour), seen at the
 * receiving MTA: a missing Date and Message-ID are added, a missing header/body separator is
 * inserted, and nothing else of the message changes.
 */
class SubmissionFixupsE2ETest extends E2eBase {

    private static Reply submit(byte[] dotStuffedCrlf) throws Exception {
        try (SmtpClient c = SmtpClient.connectTls(HOST, SUBMISSIONS)) {
            c.read();
            c.send("EHLO " + HELO);
            assertThat(c.authPlain(ALICE, ALICE_PASSWORD).code()).as(c.transcript()).isEqualTo(235);
            assertThat(c.send("MAIL FROM:<" + ALICE_ADDRESS + ">").code()).as(c.transcript()).isEqualTo(250);
            assertThat(c.send("RCPT TO:<" + BOB_ADDRESS + ">").code()).as(c.transcript()).isEqualTo(250);
            Reply end = c.data(dotStuffedCrlf);
            assertThat(end.code()).as(c.transcript()).isEqualTo(250);
            assertThat(end.queueId()).as(c.transcript()).isNotNull();
            return end;
        }
    }

    @Test
    void missingDateAndMessageIdAreAddedAndTheRestIsUnchanged() throws Exception {
        String token = "e2e-fixup-date-" + UUID.randomUUID();
        TestMessage m = new TestMessage(token, ALICE_ADDRESS, BOB_ADDRESS,
                List.of("From: <" + ALICE_ADDRESS + ">", "To: <" + BOB_ADDRESS + ">",
                        "Subject: no date, no id " + token, "X-E2E-Token: " + token),
                List.of("body line", "end " + token));
        submit(m.dotStuffedCrlf());
        Sink.Dump d = Sink.await(m);
        assertThat(d.all("Date")).as("Date headers in %s", d.file()).hasSize(1);
        assertThat(d.all("Message-ID")).as("Message-ID headers in %s", d.file()).hasSize(1)
                .allSatisfy(f -> assertThat(f.value()).matches("<[^<>@\\s]+@[^<>@\\s]+>"));
        List<String> others = d.fields().stream()
                .filter(f -> !List.of("received", "date", "message-id", "return-path", "dkim-signature")
                        .contains(f.name().toLowerCase(Locale.ROOT)))
                .flatMap(f -> f.lines().stream()).toList();
        assertThat(others).as("the submitted header lines, in order (%s)", d.file())
                .containsExactlyElementsOf(m.headerLines);
        assertThat(d.body()).as("body in %s", d.file()).startsWith("body line", "end " + token);
    }

    @Test
    void missingHeaderBodySeparatorIsInserted() throws Exception {
        String token = "e2e-fixup-separator-" + UUID.randomUUID();
        // No empty line: the first line that is not a header field starts the body.
        String raw = "From: <" + ALICE_ADDRESS + ">\r\n"
                + "To: <" + BOB_ADDRESS + ">\r\n"
                + "Subject: no separator " + token + "\r\n"
                + "Date: Wed, 25 Nov 2026 12:00:00 +0900\r\n"
                + "Message-ID: <" + token + "@e2e.kanmon.test>\r\n"
                + "X-E2E-Token: " + token + "\r\n"
                + "this line is not a header field\r\n"
                + "end " + token + "\r\n";
        submit(raw.getBytes(StandardCharsets.US_ASCII));
        TestMessage m = new TestMessage(token, ALICE_ADDRESS, BOB_ADDRESS, List.of(), List.of());
        Sink.Dump d = Sink.await(m);
        assertThat(d.all("X-E2E-Token")).as("headers of %s", d.file()).hasSize(1);
        assertThat(d.fields()).as("no header field made of body text in %s", d.file())
                .noneMatch(f -> f.name().startsWith("this line"));
        assertThat(d.body()).as("body of %s", d.file())
                .startsWith("this line is not a header field", "end " + token);
    }
}
