package dev.kanmon.delivery.mx;

import dev.kanmon.delivery.config.DeliveryConfig;
import io.netty.handler.codec.dns.DnsRecordType;
import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Non-blocking MX resolution (RFC 5321 §5.1, RFC 7505) through the configured DNS server; the system
 * resolver is never used for mail routing so that tests and the local stack stay on loopback. Answers come
 * from {@link DnsLookup}, which caches them for their TTL and shares identical lookups in flight.
 */
@ApplicationScoped
public class MxResolver {

    private final DnsLookup dns;
    private final boolean ipv6;

    @Inject
    public MxResolver(DnsLookup dns, DeliveryConfig config) {
        this(dns, config.mx().ipv6());
    }

    MxResolver(DnsLookup dns, boolean ipv6) {
        this.dns = dns;
        this.ipv6 = ipv6;
    }

    /** The mail exchangers of a domain in the order to try them, or why there are none. */
    public Future<Route> route(String domain) {
        return dns.mx(domain).transform(ar -> {
            if (ar.failed()) {
                return Future.succeededFuture(dnsFailure(domain, ar.cause()));
            }
            DnsAnswer<MxHost> answer = ar.result();
            if (answer.nxdomain()) {
                return Future.succeededFuture(nxdomain(domain));
            }
            List<MxHost> records = answer.records();
            if (records.isEmpty()) {
                return implicitMx(domain);
            }
            if (records.size() == 1 && records.get(0).name().isEmpty()) {
                return Future.succeededFuture(new Route.Unroutable(true, "5.1.10",
                        "Domain " + domain + " does not accept mail (null MX)"));
            }
            List<MxHost> hosts = new ArrayList<>(records.size());
            for (MxHost r : records) {
                if (!r.name().isEmpty()) {
                    hosts.add(r);
                }
            }
            // ordered per delivery, so that hosts of equal preference share the load even while the answer is cached
            return Future.succeededFuture(new Route.Hosts(MxOrdering.order(hosts, ThreadLocalRandom.current()), false));
        });
    }

    /**
     * The addresses of a host: A records first, then AAAA when enabled; an IP literal is returned as is.
     * Each address keeps the host name so that TLS can verify it without another lookup.
     */
    public Future<List<InetAddress>> addresses(String host) {
        if (isIpLiteral(host)) {
            return Future.succeededFuture(List.of(literal(host)));
        }
        List<Future<DnsAnswer<InetAddress>>> lookups = addressLookups(host);
        Future<List<InetAddress>> v4 = lookups.get(0).map(DnsAnswer::records).otherwise(List.of());
        Future<List<InetAddress>> v6 = lookups.get(1).map(DnsAnswer::records).otherwise(List.of());
        return Future.all(v4, v6).map(all -> {
            List<InetAddress> out = new ArrayList<>(v4.result());
            out.addAll(v6.result());
            return out;
        });
    }

    /**
     * RFC 5321 §5.1 implicit MX: the domain's own address records. Only answers that there are none (NOERROR
     * without data, NXDOMAIN) make the domain unroutable; a lookup that failed (time-out, SERVFAIL, refused)
     * is a temporary DNS failure like a failed MX lookup, never a bounce.
     */
    private Future<Route> implicitMx(String domain) {
        List<Future<DnsAnswer<InetAddress>>> lookups = addressLookups(domain);
        return Future.join(lookups.get(0), lookups.get(1)).transform(done -> {
            if (lookups.stream().anyMatch(l -> l.succeeded() && !l.result().records().isEmpty())) {
                return Future.succeededFuture(new Route.Hosts(List.of(new MxHost(domain, 0)), true));
            }
            for (Future<DnsAnswer<InetAddress>> lookup : lookups) {
                if (lookup.failed()) {
                    return Future.succeededFuture(dnsFailure(domain, lookup.cause()));
                }
            }
            return Future.succeededFuture(
                    new Route.Unroutable(true, "5.1.2", "Domain " + domain + " has neither MX nor address records"));
        });
    }

    /** The A and (if enabled) AAAA lookups of a name, failures kept: [A, AAAA]. */
    private List<Future<DnsAnswer<InetAddress>>> addressLookups(String name) {
        return List.of(dns.addresses(DnsRecordType.A, name), ipv6 ? dns.addresses(DnsRecordType.AAAA, name)
                : Future.succeededFuture(new DnsAnswer<>(false, List.of(), Duration.ZERO)));
    }

    private static Route nxdomain(String domain) {
        return new Route.Unroutable(true, "5.1.2", "Domain " + domain + " not found (NXDOMAIN)");
    }

    /** A lookup without a definite answer (time-out, SERVFAIL, refused): never a bounce. */
    static Route dnsFailure(String domain, Throwable cause) {
        return new Route.Unroutable(false, "4.4.3", "DNS lookup of " + domain + " failed: " + cause.getMessage());
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    private static InetAddress literal(String host) {
        try {
            // a literal is parsed locally (no lookup); keeping it as the host name avoids reverse lookups later
            return InetAddress.getByAddress(host, InetAddress.getByName(host).getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad IP literal " + host, e);
        }
    }
}
