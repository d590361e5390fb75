package dev.kanmon.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WireCodecTest {

    @Test
    void envelopeRoundTripsAndIgnoresUnknownFields() {
        Envelope env = new Envelope(QueueId.next(), "alice@example.test",
                List.of(new EnvelopeRecipient("bob@dest.test", Set.of(Notify.SUCCESS, Notify.FAILURE), "rfc822;bob@dest.test")),
                Ret.HDRS, "env-1", BodyType.EIGHT_BIT_MIME, false, "alice", "192.0.2.1", "client.test",
                "TLSv1.3", "TLS_AES_128_GCM_SHA256", Instant.parse("2026-11-25T10:00:00Z"), 1234, 0, null, false);
        byte[] json = WireCodec.encode(env);
        assertThat(WireCodec.decode(json, Envelope.class)).isEqualTo(env);

        String withExtra = new String(json, StandardCharsets.UTF_8).replaceFirst("\\{", "{\"fieldFromTheFuture\":42,");
        assertThat(WireCodec.decode(withExtra.getBytes(StandardCharsets.UTF_8), Envelope.class)).isEqualTo(env);
    }

    @Test
    void queueIdsAreUlidsThatSortByTime() {
        String a = QueueId.next(1_700_000_000_000L);
        String b = QueueId.next(1_700_000_000_001L);
        assertThat(a).hasSize(26).matches("[0-9A-HJKMNP-TV-Z]{26}");
        assertThat(a.substring(0, 10)).isLessThan(b.substring(0, 10));
        assertThat(QueueId.next()).isNotEqualTo(QueueId.next());
    }

    @Test
    void recipientDomainIsLowerCasedAfterLastAt() {
        assertThat(EnvelopeRecipient.of("\"a@b\"@Dest.TEST").domain()).isEqualTo("dest.test");
    }
}
