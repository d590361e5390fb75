package dev.kanmon.delivery.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.core.queue.DeliveryRecipient;
import dev.kanmon.core.queue.DeliveryRequest;
import dev.kanmon.core.queue.DeliveryResult;
import dev.kanmon.core.queue.EnvelopeRecipient;
import dev.kanmon.core.queue.Notify;
import dev.kanmon.core.queue.RecipientResult;
import dev.kanmon.core.queue.RecipientStatus;
import dev.kanmon.core.queue.Ret;
import dev.kanmon.delivery.dkim.DkimTestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real Kafka and real dnsmasq, with scripted remote MTAs: dest.test/example.test/nomx.test resolve to
 * 127.0.0.10 and mx1.backup.test to 127.0.0.11, where peers listen on the profile's MX port.
 */
@QuarkusTest
@TestProfile(ScriptedPeerProfile.class)
class ScriptedPeerDeliveryTest {

    static final List<String> ESMTP = List.of("PIPELINING", "SIZE 200000", "8BITMIME", "ENHANCEDSTATUSCODES", "DSN", "STARTTLS");

    static Vertx vertx;
    static KafkaTestSupport kafka;
    static ScriptedPeer mx10;
    static ScriptedPeer mx11;
    static ScriptedPeer smarthost;
    static ScriptedPeer oldServer;
    static ScriptedPeer limited;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        mx10 = new ScriptedPeer(vertx, "127.0.0.10", ScriptedPeerProfile.MX_PORT, false, "220 mx10.peer.test ESMTP", true, ESMTP, null);
        mx11 = new ScriptedPeer(vertx, "127.0.0.11", ScriptedPeerProfile.MX_PORT, false, "421 4.3.2 mx11 busy, try later", true, ESMTP, null);
        smarthost = new ScriptedPeer(vertx, "127.0.0.12", ScriptedPeerProfile.SMARTHOST_PORT, true, "220 smarthost ESMTP", true,
                List.of("PIPELINING", "AUTH PLAIN LOGIN", "ENHANCEDSTATUSCODES"), ScriptedPeer.plain("relay", "s3cret"));
        oldServer = new ScriptedPeer(vertx, "127.0.0.12", ScriptedPeerProfile.OLD_SERVER_PORT, false, "220 old SMTP", false, List.of(), null);
        limited = new ScriptedPeer(vertx, "127.0.0.12", ScriptedPeerProfile.LIMITED_PORT, false, "220 limited ESMTP", true,
                List.of("PIPELINING", "ENHANCEDSTATUSCODES"), null);
        kafka = new KafkaTestSupport();
    }

    @AfterAll
    static void stop() throws Exception {
        kafka.close();
        for (ScriptedPeer p : List.of(mx10, mx11, smarthost, oldServer, limited)) {
            p.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    static byte[] message(String from, String marker) {
        return ("From: <" + from + ">\r\nTo: <someone@dest.test>\r\nSubject: " + marker + "\r\nMessage-ID: <" + marker
                + "@example.test>\r\n\r\nbody of " + marker + "\r\n.dot line\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static DeliveryResult deliver(DeliveryRequest request, byte[] message) throws Exception {
        kafka.send(request, message);
        DeliveryResult result = kafka.awaitResult(request.deliveryId(), Duration.ofSeconds(60));
        assertThat(result.recipients()).extracting(RecipientResult::recipientId)
                .containsExactlyElementsOf(request.recipients().stream().map(DeliveryRecipient::recipientId).toList());
        return result;
    }

    static DeliveryResult deliver(String from, String domain, String... rcpts) throws Exception {
        DeliveryRequest request = KafkaTestSupport.request(from, domain, Stream.of(rcpts).map(EnvelopeRecipient::of).toList(), 0);
        return deliver(request, message(from, request.queueId()));
    }

    static ScriptedPeer.Received receivedBy(ScriptedPeer peer, String marker) {
        return peer.received.stream().filter(r -> r.data().contains("Subject: " + marker + "\r\n")).findFirst()
                .orElseThrow(() -> new AssertionError("peer did not receive " + marker));
    }

    @Test
    void partialAcceptanceGivesMixedResultsAndPassesDsnParameters() throws Exception {
        List<EnvelopeRecipient> rcpts = List.of(
                new EnvelopeRecipient("ok1@dest.test", Set.of(Notify.SUCCESS, Notify.FAILURE), "rfc822;ok1@dest.test"),
                EnvelopeRecipient.of("busy@dest.test"),
                EnvelopeRecipient.of("unknown@dest.test"));
        DeliveryRequest base = KafkaTestSupport.request("sender@example.net", "dest.test", rcpts, 0);
        DeliveryRequest request = new DeliveryRequest(base.deliveryId(), base.queueId(), base.mailFrom(), base.domain(),
                base.recipients(), null, false, "env id+1", Ret.HDRS, 1, 0);
        DeliveryResult result = deliver(request, message("sender@example.net", request.queueId()));

        assertThat(result.recipients()).extracting(RecipientResult::status)
                .containsExactly(RecipientStatus.DELIVERED, RecipientStatus.DEFERRED, RecipientStatus.FAILED);
        assertThat(result.recipients()).extracting(RecipientResult::enhancedCode).containsExactly("2.0.0", "4.2.1", "5.1.1");
        assertThat(result.recipients()).extracting(RecipientResult::replyCode).containsExactly(250, 451, 550);

        ScriptedPeer.Received got = receivedBy(mx10, request.queueId());
        assertThat(got.tls()).as("opportunistic STARTTLS used").isTrue();
        assertThat(got.rcptLines()).containsExactly("<ok1@dest.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;ok1@dest.test");
        assertThat(mx10.commands).anySatisfy(c -> assertThat(c)
                .startsWith("MAIL FROM:<sender@example.net> SIZE=").endsWith(" RET=HDRS ENVID=env+20id+2B1"));
        assertThat(got.data()).contains("\r\n.dot line\r\n");
    }

    @Test
    void temporaryRefusalOfMailDefersEveryRecipient() throws Exception {
        DeliveryResult result = deliver("tempfail@example.net", "dest.test", "a@dest.test", "b@dest.test");
        assertThat(result.recipients()).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(RecipientStatus.DEFERRED);
            assertThat(r.replyCode()).isEqualTo(451);
            assertThat(r.enhancedCode()).isEqualTo("4.3.0");
        });
    }

    @Test
    void permanentRefusalOfMailFailsEveryRecipient() throws Exception {
        DeliveryResult result = deliver("reject@example.net", "dest.test", "a@dest.test", "b@dest.test");
        assertThat(result.recipients()).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(RecipientStatus.FAILED);
            assertThat(r.enhancedCode()).isEqualTo("5.7.1");
        });
    }

    @Test
    void refusalAfterDataAppliesToTheAcceptedRecipients() throws Exception {
        DeliveryResult result = deliver("sender@example.net", "dest.test", "datafail@dest.test", "busy2@dest.test");
        assertThat(result.recipients()).extracting(RecipientResult::status)
                .containsExactly(RecipientStatus.FAILED, RecipientStatus.DEFERRED);
        assertThat(result.recipients().get(0).enhancedCode()).isEqualTo("5.6.0");
    }

    @Test
    void messageOverTheAnnouncedSizeFailsWithoutBeingSent() throws Exception {
        String from = "big-sender@example.net";
        DeliveryRequest request = KafkaTestSupport.request(from, "dest.test", List.of(EnvelopeRecipient.of("ok@dest.test")), 0);
        byte[] small = message(from, request.queueId());
        byte[] big = new byte[300_000];
        System.arraycopy(small, 0, big, 0, small.length);
        java.util.Arrays.fill(big, small.length, big.length, (byte) 'x');
        DeliveryResult result = deliver(request, big);
        assertThat(result.recipients().get(0).status()).isEqualTo(RecipientStatus.FAILED);
        assertThat(result.recipients().get(0).enhancedCode()).isEqualTo("5.3.4");
        assertThat(mx10.commands).noneMatch(c -> c.contains(from));
    }

    @Test
    void temporaryGreetingOnTheFirstMxMovesToTheSecond() throws Exception {
        int refusedBefore = mx11.connections.get();
        DeliveryResult result = deliver("sender@example.net", "backup.test", "x@backup.test");
        assertThat(result.recipients().get(0).status()).isEqualTo(RecipientStatus.DELIVERED);
        assertThat(result.recipients().get(0).remoteMta()).isEqualTo("mx2.backup.test");
        assertThat(mx11.connections.get()).isGreaterThan(refusedBefore);
        receivedBy(mx10, result.queueId());
    }

    @Test
    void fallsBackToHeloWhenEhloIsRefused() throws Exception {
        DeliveryResult result = deliver("sender@example.net", "helo.test", "x@helo.test");
        assertThat(result.recipients().get(0).status()).isEqualTo(RecipientStatus.DELIVERED);
        ScriptedPeer.Received got = receivedBy(oldServer, result.queueId());
        assertThat(got.helo()).isEqualTo("relay.kanmon.test");
        assertThat(oldServer.commands).contains("MAIL FROM:<sender@example.net>");
    }

    @Test
    void smarthostWithAuthOverImplicitTls() throws Exception {
        DeliveryResult result = deliver("sender@example.net", "smarthost.test", "y@smarthost.test");
        assertThat(result.recipients().get(0).status()).isEqualTo(RecipientStatus.DELIVERED);
        assertThat(result.recipients().get(0).remoteMta()).isEqualTo("127.0.0.12");
        assertThat(receivedBy(smarthost, result.queueId()).tls()).isTrue();
        assertThat(smarthost.commands).contains("AUTH PLAIN " + ScriptedPeer.plain("relay", "s3cret"));
    }

    @Test
    void requiredTlsVerifiesTheMxAndDkimSignsTheSigningDomain() throws Exception {
        DeliveryResult result = deliver("alice@example.test", "example.test", "z@example.test");
        assertThat(result.recipients().get(0).status()).isEqualTo(RecipientStatus.DELIVERED);
        ScriptedPeer.Received got = receivedBy(mx10, result.queueId());
        assertThat(got.tls()).isTrue();
        assertThat(got.data()).startsWith("DKIM-Signature:");
        assertThat(DkimTestKeys.verify(got.data().getBytes(StandardCharsets.US_ASCII))).isTrue();
    }

    @Test
    void requiredTlsWithAnUnverifiableCertificateDefers() throws Exception {
        DeliveryResult result = deliver("sender@example.net", "nomx.test", "w@nomx.test");
        assertThat(result.recipients().get(0).status()).isEqualTo(RecipientStatus.DEFERRED);
        assertThat(result.recipients().get(0).enhancedCode()).isEqualTo("4.7.5");
    }

    @Test
    void connectionLimitIsHeldAndTheConnectionReused() throws Exception {
        List<DeliveryRequest> requests = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            DeliveryRequest r = KafkaTestSupport.request("sender@example.net", "limited.test",
                    List.of(EnvelopeRecipient.of("r" + i + "@limited.test")), 0);
            kafka.send(r, message("sender@example.net", r.queueId()));
            requests.add(r);
        }
        for (DeliveryRequest r : requests) {
            DeliveryResult result = kafka.awaitResult(r.deliveryId(), Duration.ofSeconds(60));
            assertThat(result.recipients().get(0).status()).isEqualTo(RecipientStatus.DELIVERED);
        }
        assertThat(limited.received).hasSize(4);
        assertThat(limited.maxOpen.get()).as("simultaneous connections").isEqualTo(1);
        assertThat(limited.connections.get()).as("connections opened for 4 messages").isLessThan(4);
    }

    @Test
    void mailRcptAndDataArePipelinedInOneWrite() throws Exception {
        DeliveryResult result = deliver("pipe@example.net", "dest.test", "p1@dest.test", "p2@dest.test");
        assertThat(result.recipients()).extracting(RecipientResult::status)
                .containsExactly(RecipientStatus.DELIVERED, RecipientStatus.DELIVERED);
        assertThat(mx10.reads).anySatisfy(read -> assertThat(read)
                .startsWith("MAIL FROM:<pipe@example.net> SIZE=")
                .contains("\r\nRCPT TO:<p1@dest.test>\r\nRCPT TO:<p2@dest.test>\r\n")
                .endsWith("\r\nDATA\r\n"));
    }

    /** A strict server refuses the pipelined DATA (554, no valid recipients): the RCPT replies are the results. */
    @Test
    void allRecipientsRefusedKeepTheirRcptReplies() throws Exception {
        DeliveryResult result = deliver("sender@example.net", "dest.test", "unknown3@dest.test", "busy3@dest.test");
        assertThat(result.recipients()).extracting(RecipientResult::enhancedCode).containsExactly("5.1.1", "4.2.1");
        assertThat(result.recipients()).extracting(RecipientResult::status)
                .containsExactly(RecipientStatus.FAILED, RecipientStatus.DEFERRED);
    }

    /**
     * A server that answers the pipelined DATA with 354 although it refused every recipient gets the lone dot (an
     * empty message nobody receives, as Postfix's smtp client sends), and the connection carries on.
     */
    @Test
    void allRecipientsRefusedButDataAcceptedEndsWithTheLoneDot() throws Exception {
        DeliveryResult result = deliver("lenient@example.net", "dest.test", "unknown4@dest.test", "busy4@dest.test");
        assertThat(result.recipients()).extracting(RecipientResult::enhancedCode).containsExactly("5.1.1", "4.2.1");
        assertThat(mx10.received).anySatisfy(r -> {
            assertThat(r.mailFrom()).isEqualTo("lenient@example.net");
            assertThat(r.rcptLines()).isEmpty();
            assertThat(r.data()).isEmpty();
        });
        DeliveryResult next = deliver("sender@example.net", "dest.test", "after-lenient@dest.test");
        assertThat(next.recipients().get(0).status()).isEqualTo(RecipientStatus.DELIVERED);
    }

    @Test
    void refusedDataAppliesToTheAcceptedRecipients() throws Exception {
        DeliveryResult result = deliver("nodata@example.net", "dest.test", "n1@dest.test", "unknown5@dest.test");
        assertThat(result.recipients()).extracting(RecipientResult::status)
                .containsExactly(RecipientStatus.DEFERRED, RecipientStatus.FAILED);
        assertThat(result.recipients()).extracting(RecipientResult::replyCode).containsExactly(451, 550);
        assertThat(result.recipients().get(0).enhancedCode()).isEqualTo("4.3.2");
    }
}
