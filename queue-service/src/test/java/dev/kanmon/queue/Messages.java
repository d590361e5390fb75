package dev.kanmon.queue;

import dev.kanmon.core.queue.BodyType;
import dev.kanmon.core.queue.Envelope;
import dev.kanmon.core.queue.EnvelopeRecipient;
import dev.kanmon.core.queue.QueueId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** Test messages as the submission service would queue them. */
public final class Messages {

    private Messages() {
    }

    public static Envelope envelope(String mailFrom, String authUser, String... rcpts) {
        List<EnvelopeRecipient> recipients = Arrays.stream(rcpts).map(EnvelopeRecipient::of).toList();
        return new Envelope(QueueId.next(), mailFrom, recipients, null, "env-" + System.nanoTime(),
                BodyType.SEVEN_BIT, false, authUser, "192.0.2.1", "client.example.test", "TLSv1.3",
                "TLS_AES_128_GCM_SHA256", Instant.now(), body("x").length, 0, null, false);
    }

    /**
     * An envelope whose recipients wait (NOT-BEFORE a day ahead) instead of being published: delivery workers
     * running their own tests on the shared test topics never see them, so a test alone decides their results.
     */
    public static Envelope waiting(String mailFrom, String authUser, String... rcpts) {
        Envelope e = envelope(mailFrom, authUser, rcpts);
        return new Envelope(e.queueId(), e.mailFrom(), e.recipients(), e.ret(), e.envid(), e.bodyType(), e.smtpUtf8(),
                e.authUser(), e.clientIp(), e.heloName(), e.tlsProtocol(), e.tlsCipher(), e.receivedAt(), e.size(),
                e.attempt(), Instant.now().plus(Duration.ofDays(1)), e.dsn());
    }

    public static byte[] body(String subject) {
        return ("From: alice@example.test\r\nTo: bob@dest.test\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + System.nanoTime() + "@example.test>\r\n\r\nHello.\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
