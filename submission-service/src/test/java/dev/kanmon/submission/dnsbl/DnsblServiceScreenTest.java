package dev.kanmon.submission.dnsbl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.submission.identity.ServiceCredential;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client half of the {@code GET /internal/v1/check} contract, against a real HTTP server on loopback that
 * answers with the JSON documented in docs/architecture.md, a closed port and a server that never answers.
 */
class DnsblServiceScreenTest {

    private static final String BLOCK_JSON = """
            {"verdict":"BLOCK","score":2.0,
             "listings":[{"zone":"bl.test","code":"127.0.0.2","reason":"Listed in test DNSBL"}],
             "reply":{"code":554,"enhanced":"5.7.1","text":"Service unavailable; client [127.0.0.66] blocked using bl.test; Listed in test DNSBL"}}""";

    private Vertx vertx;
    private HttpServer server;
    private final AtomicReference<String> body = new AtomicReference<>();
    private final AtomicReference<String> lastQuery = new AtomicReference<>();
    private final AtomicReference<String> lastAuthorization = new AtomicReference<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(req -> {
            requests.incrementAndGet();
            lastQuery.set(req.path() + "?" + req.query());
            lastAuthorization.set(req.getHeader("Authorization"));
            String b = body.get();
            if (b != null) { // null: hang, so the client's deadline fires
                req.response().putHeader("content-type", "application/json").end(b);
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private DnsblServiceScreen screen(String url, Duration timeout) {
        return new DnsblServiceScreen(vertx, new Config(url, timeout, Duration.ZERO), registry,
                ServiceCredential.fixed("Bearer test-token"));
    }

    private DnsblServiceScreen cachingScreen(Duration ttl) {
        return new DnsblServiceScreen(vertx, new Config("http://127.0.0.1:" + server.actualPort(), Duration.ofSeconds(5), ttl),
                registry, ServiceCredential.fixed("Bearer test-token"));
    }

    private static ScreenVerdict await(io.vertx.core.Future<ScreenVerdict> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void blockCarriesReplyAndListings() throws Exception {
        body.set(BLOCK_JSON);
        ScreenVerdict v = await(screen("http://127.0.0.1:" + server.actualPort() + "/", Duration.ofSeconds(5))
                .screen("127.0.0.66"));
        assertThat(lastQuery.get()).isEqualTo("/internal/v1/check?ip=127.0.0.66");
        assertThat(lastAuthorization.get()).isEqualTo("Bearer test-token");
        assertThat(v.verdict()).isEqualTo(ScreenVerdict.Verdict.BLOCK);
        assertThat(v.score()).isEqualTo(2.0);
        assertThat(v.reply().code()).isEqualTo(554);
        assertThat(v.reply().render()).isEqualTo("554 5.7.1 Service unavailable; client [127.0.0.66] "
                + "blocked using bl.test; Listed in test DNSBL\r\n");
        assertThat(v.listings()).containsExactly("bl.test: Listed in test DNSBL");
        assertThat(registry.counter("kanmon.submission.dnsbl.verdicts", "verdict", "block").count()).isEqualTo(1);
    }

    @Test
    void ipv6AddressIsEncodedInQuery() throws Exception {
        body.set("{\"verdict\":\"PASS\",\"score\":0.0,\"listings\":[],\"reply\":null}");
        ScreenVerdict v = await(screen("http://127.0.0.1:" + server.actualPort(), Duration.ofSeconds(5))
                .screen("2001:db8::1"));
        assertThat(lastQuery.get()).isEqualTo("/internal/v1/check?ip=2001%3Adb8%3A%3A1");
        assertThat(v.verdict()).isEqualTo(ScreenVerdict.Verdict.PASS);
        assertThat(v.reply()).isNull();
        assertThat(v.listings()).isEmpty();
    }

    @Test
    void flagWithoutReply() throws Exception {
        body.set("{\"verdict\":\"FLAG\",\"score\":1.0,\"listings\":[{\"zone\":\"pbl.test\",\"code\":\"127.0.0.10\","
                + "\"reason\":null}],\"reply\":null}");
        ScreenVerdict v = await(screen("http://127.0.0.1:" + server.actualPort(), Duration.ofSeconds(5))
                .screen("127.0.0.67"));
        assertThat(v.verdict()).isEqualTo(ScreenVerdict.Verdict.FLAG);
        assertThat(v.listings()).containsExactly("pbl.test: 127.0.0.10");
    }

    @Test
    void unreadableAnswerFailsOpen() throws Exception {
        body.set("{\"verdict\":\"MAYBE\"}");
        ScreenVerdict v = await(screen("http://127.0.0.1:" + server.actualPort(), Duration.ofSeconds(5))
                .screen("127.0.0.2"));
        assertThat(v).isSameAs(ScreenVerdict.PASS_UNCHECKED);
        assertThat(registry.counter("kanmon.submission.dnsbl.unchecked", "reason", "error").count()).isEqualTo(1);
    }

    @Test
    void closedPortFailsOpen() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ScreenVerdict v = await(screen("http://127.0.0.1:" + port, Duration.ofSeconds(5)).screen("127.0.0.2"));
        assertThat(v).isSameAs(ScreenVerdict.PASS_UNCHECKED);
        assertThat(registry.counter("kanmon.submission.dnsbl.unchecked", "reason", "error").count()).isEqualTo(1);
    }

    @Test
    void silentServiceFailsOpenAtTheDeadline() throws Exception {
        body.set(null);
        ScreenVerdict v = await(screen("http://127.0.0.1:" + server.actualPort(), Duration.ofMillis(300))
                .screen("127.0.0.2"));
        assertThat(v).isSameAs(ScreenVerdict.PASS_UNCHECKED);
        assertThat(registry.counter("kanmon.submission.dnsbl.unchecked", "reason", "timeout").count()).isEqualTo(1);
    }

    @Test
    void verdictIsReusedWithinItsTtlAndAskedAgainAfter() throws Exception {
        body.set(BLOCK_JSON);
        DnsblServiceScreen screen = cachingScreen(Duration.ofMillis(500));
        assertThat(await(screen.screen("127.0.0.66")).verdict()).isEqualTo(ScreenVerdict.Verdict.BLOCK);
        assertThat(await(screen.screen("127.0.0.66")).verdict()).isEqualTo(ScreenVerdict.Verdict.BLOCK);
        assertThat(requests.get()).isEqualTo(1);
        assertThat(registry.counter("kanmon.submission.dnsbl.cache", "result", "hit").count()).isEqualTo(1);
        // another address is its own entry
        await(screen.screen("127.0.0.67"));
        assertThat(requests.get()).isEqualTo(2);
        Thread.sleep(700);
        await(screen.screen("127.0.0.66"));
        assertThat(requests.get()).isEqualTo(3);
    }

    @Test
    void concurrentChecksOfOneAddressShareOneCall() throws Exception {
        body.set(BLOCK_JSON);
        DnsblServiceScreen screen = cachingScreen(Duration.ofMinutes(1));
        var first = screen.screen("127.0.0.66");
        var second = screen.screen("127.0.0.66");
        assertThat(await(first).verdict()).isEqualTo(ScreenVerdict.Verdict.BLOCK);
        assertThat(await(second).verdict()).isEqualTo(ScreenVerdict.Verdict.BLOCK);
        assertThat(requests.get()).isEqualTo(1);
    }

    @Test
    void failOpenAnswerIsNotKept() throws Exception {
        body.set("{\"verdict\":\"MAYBE\"}");
        DnsblServiceScreen screen = cachingScreen(Duration.ofMinutes(1));
        assertThat(await(screen.screen("127.0.0.2"))).isSameAs(ScreenVerdict.PASS_UNCHECKED);
        body.set(BLOCK_JSON);
        assertThat(await(screen.screen("127.0.0.2")).verdict()).isEqualTo(ScreenVerdict.Verdict.BLOCK);
        assertThat(requests.get()).isEqualTo(2);
    }

    private record Config(String url, Duration timeout, Duration verdictCacheTtl) implements DnsblClientConfig {
        @Override
        public Duration connectTimeout() {
            return Duration.ofSeconds(1);
        }

        @Override
        public int maxPoolSize() {
            return 4;
        }

        @Override
        public long verdictCacheSize() {
            return 1000;
        }
    }
}
