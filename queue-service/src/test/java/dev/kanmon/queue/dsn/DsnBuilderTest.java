package dev.kanmon.queue.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.core.queue.BodyType;
import dev.kanmon.core.queue.Ret;
import dev.kanmon.queue.store.DsnAction;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DsnBuilderTest {

    private static final byte[] ORIGINAL = ("From: alice@example.test\r\nSubject: hi\r\n\r\nbody line\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private static DsnOriginal original(Ret ret, byte[] content) {
        return new DsnOriginal("01QUEUEID", "alice@example.test", "ENV+2B1", ret, NOW.minusSeconds(3600),
                BodyType.SEVEN_BIT, false, content);
    }

    private static DsnRecipient failed() {
        return new DsnRecipient("bob@dest.test", "rfc822;b+2Bob@dest.test", DsnAction.FAILED, "5.1.1", 550,
                "5.1.1 User unknown", "mx1.dest.test", NOW, null);
    }

    private static MimeMultipart parse(byte[] dsn) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(dsn));
        assertThat(m.isMimeType("multipart/report")).isTrue();
        assertThat(m.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
        return (MimeMultipart) m.getContent();
    }

    @Test
    void failureReturnsTheWholeMessageWithFullStatusFields() throws Exception {
        DsnBuilder.Built built = new DsnBuilder("relay.example.test", 50_000)
                .build("01DSN", original(Ret.FULL, ORIGINAL), List.of(failed()), NOW);
        assertThat(built.subject()).isEqualTo("Undelivered Mail Returned to Sender");
        assertThat(built.bodyType()).isEqualTo(BodyType.SEVEN_BIT);
        MimeMultipart parts = parse(built.content());
        assertThat(parts.getCount()).isEqualTo(3);
        String status = new String(parts.getBodyPart(1).getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(status).contains("Reporting-MTA: dns; relay.example.test", "Original-Envelope-Id: ENV+2B1",
                "Arrival-Date: Wed, 25 Nov 2026 11:00:00 +0000", "Final-Recipient: rfc822; bob@dest.test",
                "Original-Recipient: rfc822; b+ob@dest.test", "Action: failed", "Status: 5.1.1",
                "Remote-MTA: dns; mx1.dest.test", "Diagnostic-Code: smtp; 550 5.1.1 User unknown");
        assertThat(parts.getBodyPart(2).isMimeType("message/rfc822")).isTrue();
        assertThat(new String(built.content(), StandardCharsets.US_ASCII)).contains("body line");
    }

    @Test
    void retHdrsReturnsOnlyTheHeaders() throws Exception {
        DsnBuilder.Built built = new DsnBuilder("relay.example.test", 50_000)
                .build("01DSN", original(Ret.HDRS, ORIGINAL), List.of(failed()), NOW);
        MimeMultipart parts = parse(built.content());
        assertThat(parts.getBodyPart(2).isMimeType("text/rfc822-headers")).isTrue();
        assertThat(new String(built.content(), StandardCharsets.US_ASCII)).contains("Subject: hi")
                .doesNotContain("body line");
    }

    @Test
    void largeMessagesAreReturnedAsHeadersOnly() throws Exception {
        DsnBuilder.Built built = new DsnBuilder("relay.example.test", 10)
                .build("01DSN", original(null, ORIGINAL), List.of(failed()), NOW);
        assertThat(parse(built.content()).getBodyPart(2).isMimeType("text/rfc822-headers")).isTrue();
    }

    @Test
    void delayWarningSaysWhenTheRelayGivesUp() throws Exception {
        DsnRecipient delayed = new DsnRecipient("bob@dest.test", null, DsnAction.DELAYED, "4.4.1", null,
                "connection timed out", null, NOW, NOW.plusSeconds(86_400));
        DsnBuilder.Built built = new DsnBuilder("relay.example.test", 50_000)
                .build("01DSN", original(Ret.FULL, ORIGINAL), List.of(delayed), NOW);
        assertThat(built.subject()).isEqualTo("Delayed Mail (still being retried)");
        String text = new String(built.content(), StandardCharsets.US_ASCII);
        assertThat(text).contains("Action: delayed", "Status: 4.4.1", "Diagnostic-Code: X-Kanmon; connection timed out",
                "Will-Retry-Until: Thu, 26 Nov 2026 12:00:00 +0000");
        assertThat(parse(built.content()).getBodyPart(2).isMimeType("text/rfc822-headers")).isTrue();
    }

    @Test
    void smtpUtf8MessagesUseTheGlobalTypes() throws Exception {
        byte[] utf8 = "From: 太郎@example.test\r\nSubject: x\r\n\r\nこんにちは\r\n".getBytes(StandardCharsets.UTF_8);
        DsnOriginal o = new DsnOriginal("01Q", "太郎@example.test", null, null, NOW, BodyType.EIGHT_BIT_MIME, true, utf8);
        DsnBuilder.Built built = new DsnBuilder("relay.example.test", 50_000).build("01DSN", o, List.of(failed()), NOW);
        assertThat(built.bodyType()).isEqualTo(BodyType.EIGHT_BIT_MIME);
        MimeMultipart parts = parse(built.content());
        assertThat(parts.getBodyPart(1).isMimeType("message/global-delivery-status")).isTrue();
        assertThat(parts.getBodyPart(2).isMimeType("message/global")).isTrue();
    }
}
