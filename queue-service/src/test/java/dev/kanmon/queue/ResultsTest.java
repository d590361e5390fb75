package dev.kanmon.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kanmon.core.queue.DeliveryRequest;
import dev.kanmon.core.queue.DeliveryResult;
import dev.kanmon.core.queue.Envelope;
import dev.kanmon.core.queue.RecipientStatus;
import dev.kanmon.core.queue.Topics;
import dev.kanmon.core.queue.WireCodec;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ResultsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void resultsMoveStatesAndAFailureSendsADsn() throws Exception {
        Envelope env = Messages.waiting("alice@example.test", "alice", "ok@dest.test", "bad@dest.test",
                "later@nomx.test");
        TestKafka.submit(env, Messages.body("results"));
        Map<String, Long> ids = awaitStored(env.queueId(), 3);

        TestKafka.result(Results.forStored(env.queueId(), "dest.test", List.of(
                Results.stored(ids.get("ok@dest.test"), "ok@dest.test", RecipientStatus.DELIVERED, 250, "2.0.0", "Ok: queued"),
                Results.stored(ids.get("bad@dest.test"), "bad@dest.test", RecipientStatus.FAILED, 550, "5.1.1",
                        "User unknown"))));
        TestKafka.result(Results.forStored(env.queueId(), "nomx.test", List.of(
                Results.stored(ids.get("later@nomx.test"), "later@nomx.test", RecipientStatus.DEFERRED, 451, "4.4.1",
                        "try later"))));

        await().atMost(WAIT).untilAsserted(() -> assertThat(TestDb.states(env.queueId())).containsExactly(
                Map.entry("ok@dest.test", "delivered"), Map.entry("bad@dest.test", "bounced"),
                Map.entry("later@nomx.test", "deferred")));
        // first retry after the initial back-off of 5 minutes; awaited too: a recipient whose first attempt is
        // scheduled later (Messages.waiting) is "deferred" from the start, so the state alone does not show the result
        await().atMost(WAIT).untilAsserted(() -> assertThat(TestDb.count("""
                select count(*) from queue.recipient where queue_id = ? and address = 'later@nomx.test'
                   and next_attempt_at > now() + interval '4 minutes' and next_attempt_at <= now() + interval '5 minutes'""",
                env.queueId())).isEqualTo(1));
        assertThat(TestDb.count("select count(*) from queue.attempt a join queue.recipient r on r.id = a.recipient_id"
                + " where r.queue_id = ?", env.queueId())).isEqualTo(3);

        ConsumerRecord<String, byte[]> dsn = await().atMost(WAIT).until(() -> dsnFor(env.queueId()), d -> d != null);
        Envelope dsnEnv = WireCodec.decode(TestKafka.header(dsn, Topics.ENVELOPE_HEADER), Envelope.class);
        assertThat(dsnEnv.nullSender()).isTrue();
        assertThat(dsnEnv.dsn()).isTrue();
        assertThat(dsnEnv.recipients()).extracting(r -> r.address()).containsExactly("alice@example.test");

        MimeMessage mime = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(dsn.value()));
        assertThat(mime.isMimeType("multipart/report")).isTrue();
        assertThat(mime.getContentType()).contains("report-type=delivery-status");
        MimeMultipart parts = (MimeMultipart) mime.getContent();
        assertThat(parts.getCount()).isEqualTo(3);
        assertThat(parts.getBodyPart(0).isMimeType("text/plain")).isTrue();
        assertThat(parts.getBodyPart(1).isMimeType("message/delivery-status")).isTrue();
        String status = text(parts.getBodyPart(1).getInputStream().readAllBytes());
        assertThat(status).contains("Reporting-MTA: dns; ", "Original-Envelope-Id: " + env.envid(), "Arrival-Date: ",
                "Final-Recipient: rfc822; bad@dest.test", "Action: failed", "Status: 5.1.1",
                "Remote-MTA: dns; mx1.dest.test", "Diagnostic-Code: smtp; 550 5.1.1 User unknown");
        // only the failed recipient is reported: success needs NOTIFY=SUCCESS, the deferral is not 4 h old
        assertThat(status).doesNotContain("ok@dest.test", "later@nomx.test");
        assertThat(parts.getBodyPart(2).isMimeType("message/rfc822")).isTrue();
        ByteArrayOutputStream original = new ByteArrayOutputStream();
        parts.getBodyPart(2).getDataHandler().writeTo(original);
        assertThat(original.toString(StandardCharsets.US_ASCII)).contains("Subject: results");
    }

    @Test
    void aFailingBounceIsNotBounced() throws Exception {
        assertNoDsnOnFailure(Messages.waiting("", null, "gone@dest.test"));
    }

    @Test
    void anUnauthenticatedSenderGetsNoBackscatter() throws Exception {
        assertNoDsnOnFailure(Messages.waiting("forged@example.test", null, "gone@dest.test"));
    }

    private static void assertNoDsnOnFailure(Envelope env) throws Exception {
        TestKafka.submit(env, Messages.body("no dsn"));
        long id = awaitStored(env.queueId(), 1).get("gone@dest.test");
        RecordMetadata meta = TestKafka.result(Results.forStored(env.queueId(), "dest.test", List.of(
                Results.stored(id, "gone@dest.test", RecipientStatus.FAILED, 550, "5.1.1", "User unknown"))));

        // a DSN would be produced before the result's offset is committed
        await().atMost(WAIT).until(() -> TestKafka.committedPast(meta));
        assertThat(TestDb.states(env.queueId())).containsExactly(Map.entry("gone@dest.test", "bounced"));
        assertThat(dsnFor(env.queueId())).isNull();
    }

    @Test
    void aRedeliveredResultIsAppliedOnce() throws Exception {
        Envelope env = Messages.waiting("alice@example.test", "alice", "once@dest.test");
        TestKafka.submit(env, Messages.body("result twice"));
        long id = awaitStored(env.queueId(), 1).get("once@dest.test");
        DeliveryResult result = Results.forStored(env.queueId(), "dest.test", List.of(
                Results.stored(id, "once@dest.test", RecipientStatus.DEFERRED, 451, "4.3.0", "busy")));
        TestKafka.result(result);
        RecordMetadata again = TestKafka.result(result);

        await().atMost(WAIT).until(() -> TestKafka.committedPast(again));
        assertThat(TestDb.states(env.queueId())).containsExactly(Map.entry("once@dest.test", "deferred"));
        assertThat(TestDb.count("select count(*) from queue.attempt a join queue.recipient r on r.id = a.recipient_id"
                + " where r.queue_id = ?", env.queueId())).isEqualTo(1);
    }

    static Map<String, Long> awaitStored(String queueId, int count) {
        return await().atMost(WAIT).until(() -> TestDb.recipientIds(queueId), m -> m.size() == count);
    }

    static List<DeliveryRequest> awaitRequests(String queueId, int count) {
        return await().atMost(WAIT).until(() -> TestKafka.deliveryRequests(queueId), l -> l.size() == count);
    }

    static ConsumerRecord<String, byte[]> dsnFor(String queueId) {
        byte[] marker = ("X-Kanmon-Queue-ID: " + queueId).getBytes(StandardCharsets.US_ASCII);
        return TestKafka.read(TestKafka.SUBMITTED, r -> {
            byte[] h = TestKafka.header(r, Topics.ENVELOPE_HEADER);
            return h != null && r.value() != null && contains(r.value(), marker)
                    && WireCodec.decode(h, Envelope.class).dsn();
        }).stream().findFirst().orElse(null);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
