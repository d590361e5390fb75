package dev.kanmon.submission.message;

import dev.kanmon.core.queue.BodyType;
import dev.kanmon.core.queue.EnvelopeRecipient;
import dev.kanmon.submission.auth.AuthenticatedUser;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** Submissions as the SMTP session hands them over, for tests. */
final class Submissions {

    static final Instant RECEIVED_AT = Instant.parse("2026-11-05T01:04:08Z");
    static final String DATE = "Thu, 5 Nov 2026 01:04:08 +0000";
    static final AuthenticatedUser ALICE =
            new AuthenticatedUser("alice", List.of("alice@example.test", "a.test@example.test"), "PLAIN");

    private Submissions() {
    }

    /** Alice over STARTTLS on 587, EHLO, one recipient. */
    static Submission alice(byte[] content) {
        return new Submission("alice@example.test", List.of(EnvelopeRecipient.of("bob@dest.test")), null, null,
                BodyType.EIGHT_BIT_MIME, false, ALICE, "192.0.2.1", 50123, "client.example.test", "laptop.example.test",
                true, "submission", "TLSv1.3", "TLS_AES_256_GCM_SHA384", RECEIVED_AT, Buffer.buffer(content));
    }

    static Submission alice(String content) {
        return alice(bytes(content));
    }

    /** An unauthenticated client on port 25 (trusted network), plain text, HELO. */
    static Submission relay(String content) {
        return new Submission("legacy@example.test",
                List.of(EnvelopeRecipient.of("bob@dest.test"), EnvelopeRecipient.of("carol@dest.test")), null, null,
                BodyType.SEVEN_BIT, false, null, "2001:db8::25", 40000, null, "old.example.test", false, "smtp",
                null, null, RECEIVED_AT, Buffer.buffer(bytes(content)));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
