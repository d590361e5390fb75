package dev.kanmon.delivery.mx;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MxResolver and its DnsLookup cache against the real test DNS server (dnsmasq, 127.0.0.1:5300, whose answers
 * use name compression and a 300 s TTL; ttl.test has a 1 s TTL), against one that never answers, and against one
 * that answers MX queries without data (implicit MX) but address queries only when told to.
 */
class MxResolverTest {

    static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static Route route(MxResolver resolver, String domain) throws Exception {
        return resolver.route(domain).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    static final DnsLookup.Policy POLICY = new DnsLookup.Policy(Duration.ZERO, Duration.ofHours(1), Duration.ofSeconds(60),
            Duration.ofMinutes(5), 1000);

    static MxResolver resolver(int port, long timeoutMillis, MeterRegistry registry) {
        return new MxResolver(new DnsLookup(vertx, Optional.of(new InetSocketAddress("127.0.0.1", port)),
                Duration.ofMillis(timeoutMillis), POLICY, registry), false);
    }

    static MxResolver resolver(int port, long timeoutMillis) {
        return resolver(port, timeoutMillis, new SimpleMeterRegistry());
    }

    static MxResolver dnsmasq() {
        return resolver(5300, 5000);
    }

    static java.util.List<InetAddress> addresses(MxResolver resolver, String host) throws Exception {
        return resolver.addresses(host).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    static long queries(MeterRegistry registry, String type) {
        return (long) registry.get("kanmon.delivery.dns.queries").tag("type", type).counter().count();
    }

    static long cache(MeterRegistry registry, String result) {
        return (long) registry.get("kanmon.delivery.dns.cache").tag("result", result).counter().count();
    }

    @Test
    void followsTheTestDnsTable() throws Exception {
        MxResolver resolver = dnsmasq();
        assertThat(route(resolver, "backup.test")).isEqualTo(new Route.Hosts(
                java.util.List.of(new MxHost("mx1.backup.test", 10), new MxHost("mx2.backup.test", 20)), false));
        assertThat(route(resolver, "nomx.test")).isEqualTo(new Route.Hosts(java.util.List.of(new MxHost("nomx.test", 0)), true));
        assertThat(((Route.Unroutable) route(resolver, "nullmx.test")).enhanced()).isEqualTo("5.1.10");
        assertThat(((Route.Unroutable) route(resolver, "nosuch.test")).enhanced()).isEqualTo("5.1.2");
        InetAddress mx = resolver.addresses("mx1.dest.test").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).get(0);
        assertThat(mx.getHostAddress()).isEqualTo("127.0.0.10");
        assertThat(mx.getHostName()).isEqualTo("mx1.dest.test");
    }

    @Test
    void aServerThatNeverAnswersDefersWith443() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            MxResolver resolver = resolver(silent.getLocalPort(), 500, registry);
            Route.Unroutable route = (Route.Unroutable) route(resolver, "dest.test");
            assertThat(route.permanent()).isFalse();
            assertThat(route.enhanced()).isEqualTo("4.4.3");
            // a failure is not an answer: it expires at once (once the cache has seen it complete), the next delivery asks again
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(((Route.Unroutable) route(resolver, "dest.test")).enhanced()).isEqualTo("4.4.3");
                assertThat(queries(registry, "MX")).isGreaterThanOrEqualTo(2);
            });
        }
    }

    /**
     * A domain without MX records whose address lookup times out (an overloaded resolver) must be deferred, not
     * bounced as "neither MX nor address records": found by the e2e ReliabilityE2ETest, where two messages to
     * nomx.test bounced with 5.1.2 while the delivery-service worked off a backlog.
     */
    @Test
    void implicitMxWhoseAddressLookupFailsDefersWith443() throws Exception {
        try (NoMxServer dns = new NoMxServer(false)) {
            MxResolver resolver = resolver(dns.port(), 500);
            Route.Unroutable route = (Route.Unroutable) route(resolver, "nomx.test");
            assertThat(route.permanent()).as(route.toString()).isFalse();
            assertThat(route.enhanced()).isEqualTo("4.4.3");
        }
    }

    @Test
    void implicitMxWithoutAddressRecordsIsPermanent() throws Exception {
        try (NoMxServer dns = new NoMxServer(true)) {
            MxResolver resolver = resolver(dns.port(), 2000);
            Route.Unroutable route = (Route.Unroutable) route(resolver, "nomx.test");
            assertThat(route.permanent()).as(route.toString()).isTrue();
            assertThat(route.enhanced()).isEqualTo("5.1.2");
        }
    }

    /** Identical lookups in flight together share one query (the cache holds the pending answer). */
    @Test
    void concurrentIdenticalLookupsShareOneQuery() throws Exception {
        try (NoMxServer dns = new NoMxServer(true, 300)) {
            MxResolver resolver = resolver(dns.port(), 5000);
            java.util.List<java.util.concurrent.CompletableFuture<Route>> routes = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                routes.add(resolver.route("nomx.test").toCompletionStage().toCompletableFuture());
            }
            for (var r : routes) {
                assertThat(((Route.Unroutable) r.get(30, TimeUnit.SECONDS)).enhanced()).isEqualTo("5.1.2");
            }
            assertThat(dns.queries(15)).as("MX queries").isEqualTo(1);
            assertThat(dns.queries(1)).as("A queries").isEqualTo(1);
            // NODATA without SOA is cached for dns.negative-ttl (60 s here)
            route(resolver, "nomx.test");
            assertThat(dns.queries(15)).as("MX queries").isEqualTo(1);
        }
    }

    @Test
    void aSecondLookupWithinTheTtlSendsNoQuery() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MxResolver resolver = resolver(5300, 5000, registry);
        for (int i = 0; i < 3; i++) {
            assertThat(route(resolver, "dest.test")).isEqualTo(new Route.Hosts(java.util.List.of(new MxHost("mx1.dest.test", 10)), false));
            assertThat(addresses(resolver, "mx1.dest.test")).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.10");
            assertThat(((Route.Unroutable) route(resolver, "nosuch.test")).enhanced()).isEqualTo("5.1.2");
        }
        assertThat(queries(registry, "MX")).as("MX queries: dest.test and nosuch.test once each").isEqualTo(2);
        assertThat(queries(registry, "A")).as("A queries").isEqualTo(1);
        assertThat(cache(registry, "miss")).isEqualTo(3);
        assertThat(cache(registry, "hit")).isEqualTo(6);
    }

    @Test
    void anExpiredAnswerIsAskedForAgain() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MxResolver resolver = resolver(5300, 5000, registry);
        assertThat(addresses(resolver, "ttl.test")).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.10");
        assertThat(addresses(resolver, "ttl.test")).hasSize(1);
        assertThat(queries(registry, "A")).as("within the 1 s TTL").isEqualTo(1);
        Thread.sleep(1500);
        assertThat(addresses(resolver, "ttl.test")).hasSize(1);
        assertThat(queries(registry, "A")).as("after the TTL").isEqualTo(2);
    }

    /** Answers every MX query with NOERROR and no records; A queries likewise when {@code answerA}, else never. */
    static final class NoMxServer implements AutoCloseable {
        private final DatagramSocket socket;
        private final Thread thread;
        private final java.util.Map<Integer, java.util.concurrent.atomic.AtomicInteger> queries =
                new java.util.concurrent.ConcurrentHashMap<>();

        NoMxServer(boolean answerA) throws SocketException, java.net.UnknownHostException {
            this(answerA, 0);
        }

        /** {@code delayMillis}: wait before each answer, so that concurrent lookups overlap. */
        NoMxServer(boolean answerA, long delayMillis) throws SocketException, java.net.UnknownHostException {
            socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
            thread = new Thread(() -> {
                byte[] buf = new byte[512];
                while (!socket.isClosed()) {
                    try {
                        DatagramPacket query = new DatagramPacket(buf, buf.length);
                        socket.receive(query);
                        byte[] q = Arrays.copyOf(query.getData(), query.getLength());
                        int i = 12;
                        while (q[i] != 0) {
                            i += (q[i] & 0xff) + 1;
                        }
                        int qtype = ((q[i + 1] & 0xff) << 8) | (q[i + 2] & 0xff);
                        queries.computeIfAbsent(qtype, t -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                        if (delayMillis > 0) {
                            Thread.sleep(delayMillis);
                        }
                        if (qtype == 15 || answerA) {
                            byte[] r = Arrays.copyOf(q, i + 5); // header + the question, no answers
                            r[2] = (byte) (0x80 | (q[2] & 0x01)); // QR, RD copied
                            r[3] = (byte) 0x80; // RA, RCODE NOERROR
                            r[6] = r[7] = r[8] = r[9] = r[10] = r[11] = 0; // ANCOUNT, NSCOUNT, ARCOUNT
                            socket.send(new DatagramPacket(r, r.length, query.getSocketAddress()));
                        }
                    } catch (java.io.IOException | RuntimeException e) {
                        // closed, or a query we do not understand: no answer
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "no-mx-dns");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int queries(int qtype) {
            java.util.concurrent.atomic.AtomicInteger n = queries.get(qtype);
            return n == null ? 0 : n.get();
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
