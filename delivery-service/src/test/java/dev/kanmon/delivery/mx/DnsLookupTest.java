package dev.kanmon.delivery.mx;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Decoding of answers dnsmasq does not produce: MX exchanges compressed inside the RDATA (a pointer to the
 * question's name, as BIND and most authoritative servers write them), an SOA in the authority section whose
 * MINIMUM sets the negative TTL (RFC 2308 §5), a CNAME chain, and SERVFAIL.
 */
class DnsLookupTest {

    static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static <T> T get(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    static DnsLookup lookup(int port) {
        return new DnsLookup(vertx, Optional.of(new InetSocketAddress("127.0.0.1", port)), Duration.ofSeconds(2),
                MxResolverTest.POLICY, new SimpleMeterRegistry());
    }

    @Test
    void compressedMxExchangeInTheRdata() throws Exception {
        try (AnsweringServer dns = new AnsweringServer()) {
            DnsAnswer<MxHost> answer = get(lookup(dns.port()).mx("Compressed.Test"));
            assertThat(answer.records()).containsExactly(new MxHost("mx.compressed.test", 10), new MxHost("compressed.test", 20));
            assertThat(answer.ttl()).isEqualTo(Duration.ofSeconds(120));
        }
    }

    @Test
    void negativeTtlIsTheSoaMinimum() throws Exception {
        try (AnsweringServer dns = new AnsweringServer()) {
            DnsAnswer<MxHost> answer = get(lookup(dns.port()).mx("soa.test"));
            assertThat(answer.nxdomain()).isFalse();
            assertThat(answer.records()).isEmpty();
            assertThat(answer.ttl()).as("min(SOA TTL 3600, MINIMUM 30)").isEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void followsACnameChainAndKeepsItsSmallestTtl() throws Exception {
        try (AnsweringServer dns = new AnsweringServer()) {
            DnsAnswer<MxHost> answer = get(lookup(dns.port()).mx("alias.test"));
            assertThat(answer.records()).containsExactly(new MxHost("mx.target.test", 5));
            assertThat(answer.ttl()).as("the CNAME's 45 s, not the MX's 600 s").isEqualTo(Duration.ofSeconds(45));
        }
    }

    @Test
    void servfailIsAFailureNotAnAnswer() throws Exception {
        try (AnsweringServer dns = new AnsweringServer()) {
            Future<DnsAnswer<MxHost>> f = lookup(dns.port()).mx("servfail.test");
            assertThat(f.toCompletionStage().toCompletableFuture()).failsWithin(Duration.ofSeconds(30))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(DnsLookupException.class);
        }
    }

    /** Answers MX questions for a few names with hand-written, compressed responses. */
    static final class AnsweringServer implements AutoCloseable {
        private final DatagramSocket socket;

        AnsweringServer() throws Exception {
            socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
            Thread thread = new Thread(this::serve, "answering-dns");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            byte[] buf = new byte[512];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket packet = new DatagramPacket(buf, buf.length);
                    socket.receive(packet);
                    byte[] r = answer(Arrays.copyOf(packet.getData(), packet.getLength()));
                    socket.send(new DatagramPacket(r, r.length, packet.getSocketAddress()));
                } catch (java.io.IOException | RuntimeException e) {
                    // closed
                }
            }
        }

        /** The question name starts at offset 12: {@code 0xc00c} points at it. */
        private static byte[] answer(byte[] q) {
            int i = 12;
            StringBuilder name = new StringBuilder();
            while (q[i] != 0) {
                name.append(new String(q, i + 1, q[i], java.nio.charset.StandardCharsets.US_ASCII).toLowerCase()).append('.');
                i += q[i] + 1;
            }
            int questionEnd = i + 5; // root label, QTYPE, QCLASS
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(q, 0, questionEnd);
            byte[] r;
            int rcode = 0;
            int an = 0;
            int ns = 0;
            switch (name.toString()) {
                case "compressed.test." -> {
                    // MX 10 "mx" + pointer to the question's name; MX 20 a bare pointer to it
                    rr(out, bytes(0xc0, 0x0c), 15, 120, bytes(0, 10, 2, 'm', 'x', 0xc0, 0x0c));
                    rr(out, bytes(0xc0, 0x0c), 15, 300, bytes(0, 20, 0xc0, 0x0c));
                    an = 2;
                }
                case "soa.test." -> {
                    // NODATA; SOA "ns" + ptr, "hostmaster" + ptr, serial, refresh, retry, expire, minimum 30
                    ByteArrayOutputStream soa = new ByteArrayOutputStream();
                    soa.writeBytes(bytes(2, 'n', 's', 0xc0, 0x0c, 10));
                    soa.writeBytes("hostmaster".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    soa.writeBytes(bytes(0xc0, 0x0c, 0, 0, 0, 1, 0, 0, 14, 16, 0, 0, 7, 8, 0, 9, 58, 128, 0, 0, 0, 30));
                    rr(out, bytes(0xc0, 0x0c), 6, 3600, soa.toByteArray());
                    ns = 1;
                }
                case "alias.test." -> {
                    // CNAME target.test (45 s), then MX 5 mx.target.test (600 s) with pointers into the CNAME
                    int target = out.size() + 12;
                    rr(out, bytes(0xc0, 0x0c), 5, 45, bytes(6, 't', 'a', 'r', 'g', 'e', 't', 0xc0, 0x12));
                    rr(out, bytes(0xc0 | (target >> 8), target & 0xff), 15, 600, bytes(0, 5, 2, 'm', 'x', 0xc0 | (target >> 8), target & 0xff));
                    an = 2;
                }
                default -> rcode = 2; // SERVFAIL
            }
            r = out.toByteArray();
            r[2] = (byte) (0x84 | (q[2] & 0x01)); // QR, AA, RD copied
            r[3] = (byte) (0x80 | rcode);
            r[6] = 0;
            r[7] = (byte) an;
            r[8] = 0;
            r[9] = (byte) ns;
            r[10] = r[11] = 0;
            return r;
        }

        private static void rr(ByteArrayOutputStream out, byte[] owner, int type, int ttl, byte[] rdata) {
            out.writeBytes(owner);
            out.writeBytes(bytes(type >> 8, type & 0xff, 0, 1, ttl >>> 24, (ttl >> 16) & 0xff, (ttl >> 8) & 0xff, ttl & 0xff,
                    rdata.length >> 8, rdata.length & 0xff));
            out.writeBytes(rdata);
        }

        private static byte[] bytes(int... values) {
            byte[] b = new byte[values.length];
            for (int i = 0; i < values.length; i++) {
                b[i] = (byte) values[i];
            }
            return b;
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
