package dev.kanmon.delivery.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.core.queue.DeliveryRequest;
import dev.kanmon.core.queue.DeliveryResult;
import dev.kanmon.core.queue.EnvelopeRecipient;
import dev.kanmon.core.queue.RecipientResult;
import dev.kanmon.core.queue.RecipientStatus;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fair delivery through real Kafka to the real smtp-sink, with a destination rate limit ({@link FairDeliveryProfile}:
 * two concurrency slots, {@code fair.test} one message a second after a burst of two, backlog 8). One sender floods
 * {@code fair.test}, then another sends two messages there and a third two to {@code dest.test}. Orders are asserted
 * (by the results' finish times), never durations; the delays are printed.
 */
@QuarkusTest
@TestProfile(FairDeliveryProfile.class)
class FairDeliveryTest {

    private static final Logger LOG = Logger.getLogger(FairDeliveryTest.class);
    static final int FLOOD = 14;
    static KafkaTestSupport kafka;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestSupport();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    static DeliveryRequest send(String from, String domain, String local) throws Exception {
        DeliveryRequest request = KafkaTestSupport.request(from, domain, List.of(EnvelopeRecipient.of(local + "@" + domain)), 0);
        kafka.send(request, SinkDeliveryTest.message(request.queueId(), local + "@" + domain));
        return request;
    }

    static RecipientResult only(DeliveryResult r) {
        assertThat(r.recipients()).hasSize(1);
        return r.recipients().get(0);
    }

    @Test
    void aFloodToARateLimitedDestinationDelaysNeitherAnotherSenderNorAnotherDestination() throws Exception {
        List<DeliveryRequest> flood = new ArrayList<>();
        for (int i = 0; i < FLOOD; i++) {
            flood.add(send("flood@example.test", "fair.test", "f" + i));
        }
        Instant fewSent = Instant.now();
        List<DeliveryRequest> few = List.of(send("alice@example.test", "fair.test", "a0"),
                send("alice@example.test", "fair.test", "a1"));
        Instant otherSent = Instant.now();
        List<DeliveryRequest> other = List.of(send("bob@example.test", "dest.test", "b0"),
                send("bob@example.test", "dest.test", "b1"));

        List<DeliveryResult> floodResults = new ArrayList<>();
        for (DeliveryRequest r : flood) {
            floodResults.add(kafka.awaitResult(r.deliveryId(), Duration.ofSeconds(120)));
        }
        List<DeliveryResult> fewResults = new ArrayList<>();
        for (DeliveryRequest r : few) {
            fewResults.add(kafka.awaitResult(r.deliveryId(), Duration.ofSeconds(120)));
        }
        List<DeliveryResult> otherResults = new ArrayList<>();
        for (DeliveryRequest r : other) {
            otherResults.add(kafka.awaitResult(r.deliveryId(), Duration.ofSeconds(120)));
        }

        // the few and the other destination are delivered, never handed back
        assertThat(fewResults).allSatisfy(r -> assertThat(only(r).status()).isEqualTo(RecipientStatus.DELIVERED));
        assertThat(otherResults).allSatisfy(r -> assertThat(only(r).status()).isEqualTo(RecipientStatus.DELIVERED));
        // the flood: each record delivered or handed back to the queue (4.4.5), and the backlog of 8 overflowed
        List<DeliveryResult> floodDelivered = floodResults.stream()
                .filter(r -> only(r).status() == RecipientStatus.DELIVERED)
                .sorted(Comparator.comparing(DeliveryResult::finishedAt)).toList();
        List<DeliveryResult> floodDeferred = floodResults.stream()
                .filter(r -> only(r).status() == RecipientStatus.DEFERRED).toList();
        assertThat(floodDelivered.size() + floodDeferred.size()).isEqualTo(FLOOD);
        assertThat(floodDeferred).isNotEmpty().allSatisfy(r -> assertThat(only(r).enhancedCode()).isEqualTo("4.4.5"));

        Instant lastFew = fewResults.stream().map(DeliveryResult::finishedAt).max(Comparator.naturalOrder()).orElseThrow();
        Instant lastOther = otherResults.stream().map(DeliveryResult::finishedAt).max(Comparator.naturalOrder()).orElseThrow();
        Instant lastFlood = floodDelivered.get(floodDelivered.size() - 1).finishedAt();
        LOG.infof("fair delivery: flood %d records (%d delivered, %d handed back) to fair.test at 1/s; alice's 2 to "
                        + "fair.test done %d ms after sending, bob's 2 to dest.test done %d ms after sending; flood's last "
                        + "delivered %d ms after alice's were sent", FLOOD, floodDelivered.size(), floodDeferred.size(),
                Duration.between(fewSent, lastFew).toMillis(), Duration.between(otherSent, lastOther).toMillis(),
                Duration.between(fewSent, lastFlood).toMillis());
        // served in turn, alice's two go before the flood's waiting records have all been delivered
        assertThat(lastFew).isBefore(lastFlood);
        // dest.test does not wait behind fair.test's rate: both of bob's are done before half of the flood's
        // deliveries, which the rate spaces a second apart
        assertThat(lastOther).isBefore(floodDelivered.get(floodDelivered.size() / 2).finishedAt());
    }
}
