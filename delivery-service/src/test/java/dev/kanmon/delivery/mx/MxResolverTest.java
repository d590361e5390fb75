package dev.kanmon.delivery.mx;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.dns.DnsClientOptions;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MxResolver against the real test DNS server (dnsmasq, 127.0.0.1:5300) and against one that never answers. */
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

    static MxResolver dnsmasq() {
        return new MxResolver(vertx, new DnsClientOptions().setHost("127.0.0.1").setPort(5300).setQueryTimeout(5000), false);
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
            MxResolver resolver = new MxResolver(vertx,
                    new DnsClientOptions().setHost("127.0.0.1").setPort(silent.getLocalPort()).setQueryTimeout(500), false);
            Route.Unroutable route = (Route.Unroutable) route(resolver, "dest.test");
            assertThat(route.permanent()).isFalse();
            assertThat(route.enhanced()).isEqualTo("4.4.3");
        }
    }
}
