package dev.kanmon.delivery.it;

import static org.assertj.core.api.Assertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import dev.kanmon.core.queue.DeliveryRequest;
import dev.kanmon.core.queue.DeliveryResult;
import dev.kanmon.core.queue.EnvelopeRecipient;
import dev.kanmon.core.queue.RecipientResult;
import dev.kanmon.core.queue.RecipientStatus;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Through the real stack: real Kafka, real dnsmasq (docs/architecture.md test table), the real smtp-sink on
 * 127.0.0.10:2526 whose dump directory is read back.
 */
@QuarkusTest
class SinkDeliveryTest {

    static final Path SINK = Path.of(System.getProperty("kanmon.sink.dir", "../.local-stack/sink/mail"));
    static KafkaTestSupport kafka;

    /** Metrics are on the management interface (its own port, random in tests), not on the HTTP port. */
    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestSupport();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    static byte[] message(String marker, String to) {
        String text = "From: <sender@example.test>\r\n"
                + "To: <" + to + ">\r\n"
                + "Subject: delivery test " + marker + "\r\n"
                + "Message-ID: <" + marker + "@example.test>\r\n"
                + "\r\n"
                + "Hello " + marker + "\r\n"
                + ".a line that starts with a dot\r\n"
                + "..two dots\r\n"
                + "last line\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static DeliveryResult deliver(String domain, String... recipients) throws Exception {
        List<EnvelopeRecipient> rcpts = Stream.of(recipients).map(EnvelopeRecipient::of).toList();
        DeliveryRequest request = KafkaTestSupport.request("sender@example.test", domain, rcpts, 0);
        kafka.send(request, message(request.queueId(), recipients[0]));
        DeliveryResult result = kafka.awaitResult(request.deliveryId(), Duration.ofSeconds(60));
        assertThat(result.queueId()).isEqualTo(request.queueId());
        assertThat(result.recipients()).hasSize(recipients.length);
        return result;
    }

    static Optional<String> dumpContaining(String marker) {
        try (Stream<Path> files = Files.list(SINK)) {
            return files.map(SinkDeliveryTest::read).filter(text -> text.contains("Message-ID: <" + marker + "@")).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return ""; // a file still being written or already removed: look again on the next poll
        }
    }

    static void assertDumped(DeliveryResult result, String rcpt) {
        String expected = new String(message(result.queueId(), rcpt), StandardCharsets.US_ASCII).replace("\r\n", "\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> dumpContaining(result.queueId()).isPresent());
        String dump = dumpContaining(result.queueId()).orElseThrow();
        // smtp-sink writes its own X-* and Received lines first, stores lines with LF and ends the file with an
        // empty line; between those, the bytes are ours exactly (dot-stuffing undone by the receiver)
        assertThat(dump).endsWith(expected + "\n");
        assertThat(dump).contains("X-Rcpt-Args: <" + rcpt + ">");
    }

    @Test
    void deliversThroughMxToTheSinkByteForByte() throws Exception {
        DeliveryResult result = deliver("dest.test", "alice@dest.test");
        RecipientResult r = result.recipients().get(0);
        assertThat(r.status()).isEqualTo(RecipientStatus.DELIVERED);
        assertThat(r.replyCode()).isEqualTo(250);
        assertThat(r.remoteMta()).isEqualTo("mx1.dest.test");
        assertDumped(result, "alice@dest.test");
    }

    @Test
    void exposesDeliveryMetrics() throws Exception {
        deliver("dest.test", "metrics@dest.test");
        given().get(metrics).then().statusCode(200)
                .body(containsString("kanmon_delivery_recipients_total{domain=\"other\",status=\"delivered\"}"))
                .body(containsString("kanmon_delivery_smtp_latency_seconds_bucket{phase=\"data\""))
                .body(containsString("kanmon_delivery_connections_active"));
        // the HTTP port serves the APIs only
        given().get("/q/metrics").then().statusCode(404);
        given().get("/q/health/ready").then().statusCode(404);
    }

    @Test
    void usesTheSecondMxWhenTheFirstIsDead() throws Exception {
        DeliveryResult result = deliver("backup.test", "bob@backup.test");
        RecipientResult r = result.recipients().get(0);
        assertThat(r.status()).isEqualTo(RecipientStatus.DELIVERED);
        assertThat(r.remoteMta()).isEqualTo("mx2.backup.test");
        assertDumped(result, "bob@backup.test");
    }

    @Test
    void deliversToTheAddressRecordWithoutMx() throws Exception {
        DeliveryResult result = deliver("nomx.test", "carol@nomx.test");
        assertThat(result.recipients().get(0).status()).isEqualTo(RecipientStatus.DELIVERED);
        assertThat(result.recipients().get(0).remoteMta()).isEqualTo("nomx.test");
        assertDumped(result, "carol@nomx.test");
    }

    @Test
    void nullMxFailsWith5110() throws Exception {
        DeliveryResult result = deliver("nullmx.test", "dave@nullmx.test", "erin@nullmx.test");
        assertThat(result.recipients()).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(RecipientStatus.FAILED);
            assertThat(r.enhancedCode()).isEqualTo("5.1.10");
        });
    }

    @Test
    void unknownDomainFailsWith512() throws Exception {
        DeliveryResult result = deliver("nosuch.test", "frank@nosuch.test");
        assertThat(result.recipients().get(0).status()).isEqualTo(RecipientStatus.FAILED);
        assertThat(result.recipients().get(0).enhancedCode()).isEqualTo("5.1.2");
    }
}
