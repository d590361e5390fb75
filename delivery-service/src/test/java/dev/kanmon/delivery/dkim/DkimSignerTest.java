package dev.kanmon.delivery.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class DkimSignerTest {

    static final String MESSAGE = "From: Alice <alice@example.test>\r\n"
            + "To: bob@dest.test\r\n"
            + "Subject:  Hello   world \r\n"
            + "Date: Wed, 25 Nov 2026 12:00:00 +0000\r\n"
            + "Message-ID: <1@example.test>\r\n"
            + "\r\n"
            + "Body line one  \r\n"
            + "\r\n"
            + "\r\n";

    @Test
    void signedMessageVerifiesWithThePublicKey() throws Exception {
        byte[] signed = DkimSigner.sign(MESSAGE.getBytes(StandardCharsets.US_ASCII), "example.test", "test",
                DkimSigner.loadKey(DkimTestKeys.PRIVATE_KEY), java.util.List.of("from", "to", "subject", "date", "message-id", "cc"));
        String text = new String(signed, StandardCharsets.US_ASCII);
        assertThat(text).startsWith("DKIM-Signature:").endsWith(MESSAGE);
        assertThat(text).contains("a=rsa-sha256").contains("c=relaxed/relaxed").contains("d=example.test").contains("s=test");
        // cc is configured but absent, so it is not listed
        assertThat(text).containsPattern("h=from:to:subject:date:message-id;");
        assertThat(DkimTestKeys.verify(signed)).isTrue();
        // the body hash of the relaxed body "Body line one\r\n" (RFC 6376 §3.4.4), checked independently
        byte[] relaxedBody = "Body line one\r\n".getBytes(StandardCharsets.US_ASCII);
        String bh = Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256").digest(relaxedBody));
        assertThat(text.replaceAll("\\s", "")).contains("bh=" + bh + ";");
    }

    @Test
    void tamperedMessageDoesNotVerify() throws Exception {
        byte[] signed = DkimSigner.sign(MESSAGE.getBytes(StandardCharsets.US_ASCII), "example.test", "test",
                DkimSigner.loadKey(DkimTestKeys.PRIVATE_KEY), java.util.List.of("from", "to", "subject"));
        String tampered = new String(signed, StandardCharsets.US_ASCII).replace("Body line one", "Body line 1");
        assertThat(DkimTestKeys.verify(tampered.getBytes(StandardCharsets.US_ASCII))).isFalse();
    }

    @Test
    void findsTheFromDomain() {
        assertThat(MessageHeaders.parse(MESSAGE.getBytes(StandardCharsets.US_ASCII)).fromDomain()).contains("example.test");
        assertThat(MessageHeaders.parse("From:\r\n x@Sub.Example.TEST\r\n\r\nb".getBytes(StandardCharsets.US_ASCII)).fromDomain())
                .contains("sub.example.test");
    }
}
