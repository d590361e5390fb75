package dev.kanmon.delivery.mx;

import dev.kanmon.delivery.config.DeliveryConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.dns.DnsClient;
import io.vertx.core.dns.DnsClientOptions;
import io.vertx.core.dns.DnsException;
import io.vertx.core.dns.DnsResponseCode;
import io.vertx.core.dns.MxRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Non-blocking MX resolution (RFC 5321 §5.1, RFC 7505) through the configured DNS server; the system
 * resolver is never used for mail routing so that tests and the local stack stay on loopback. Identical
 * lookups that overlap in time share one query ({@link #shared}).
 */
@ApplicationScoped
public class MxResolver {

    private final DnsClient dns;
    private final boolean ipv6;
    /** Queries in flight by type and name. */
    private final ConcurrentMap<String, Future<?>> inFlight = new ConcurrentHashMap<>();

    @Inject
    public MxResolver(Vertx vertx, DeliveryConfig config) {
        this(vertx, options(config.dns()), config.mx().ipv6());
    }

    MxResolver(Vertx vertx, DnsClientOptions options, boolean ipv6) {
        this.dns = vertx.createDnsClient(options);
        this.ipv6 = ipv6;
    }

    private static DnsClientOptions options(DeliveryConfig.Dns config) {
        DnsClientOptions options = new DnsClientOptions()
                .setQueryTimeout(config.timeout().toMillis())
                .setRecursionDesired(true);
        config.server().ifPresent(server -> {
            int colon = server.lastIndexOf(':');
            options.setHost(colon < 0 ? server : server.substring(0, colon));
            options.setPort(colon < 0 ? 53 : Integer.parseInt(server.substring(colon + 1)));
        });
        return options;
    }

    /** The mail exchangers of a domain in the order to try them, or why there are none. */
    public Future<Route> route(String domain) {
        return shared("MX", domain, () -> dns.resolveMX(domain)).transform(ar -> {
            if (ar.failed()) {
                return Future.succeededFuture(dnsFailure(domain, ar.cause()));
            }
            List<MxRecord> records = ar.result();
            if (records.isEmpty()) {
                return implicitMx(domain);
            }
            if (records.size() == 1 && isRoot(records.get(0).name())) {
                return Future.succeededFuture(new Route.Unroutable(true, "5.1.10",
                        "Domain " + domain + " does not accept mail (null MX)"));
            }
            List<MxHost> hosts = new ArrayList<>(records.size());
            for (MxRecord r : records) {
                if (!isRoot(r.name())) {
                    hosts.add(new MxHost(stripDot(r.name()), r.priority()));
                }
            }
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
        List<Future<List<String>>> lookups = addressLookups(host);
        Future<List<String>> v4 = lookups.get(0).otherwise(List.of());
        Future<List<String>> v6 = lookups.get(1).otherwise(List.of());
        return Future.all(v4, v6).map(all -> {
            List<InetAddress> out = new ArrayList<>();
            for (String a : v4.result()) {
                out.add(named(host, a));
            }
            for (String a : v6.result()) {
                out.add(named(host, a));
            }
            return out;
        });
    }

    /**
     * RFC 5321 §5.1 implicit MX: the domain's own address records. Only answers that there are none (NOERROR
     * without data, NXDOMAIN) make the domain unroutable; a lookup that failed (time-out, SERVFAIL, refused)
     * is a temporary DNS failure like a failed MX lookup, never a bounce.
     */
    private Future<Route> implicitMx(String domain) {
        List<Future<List<String>>> lookups = addressLookups(domain);
        return Future.join(lookups.get(0), lookups.get(1)).transform(done -> {
            if (lookups.stream().anyMatch(MxResolver::hasAddresses)) {
                return Future.succeededFuture(new Route.Hosts(List.of(new MxHost(domain, 0)), true));
            }
            for (Future<List<String>> lookup : lookups) {
                if (lookup.failed() && !isNxdomain(lookup.cause())) {
                    return Future.succeededFuture(dnsFailure(domain, lookup.cause()));
                }
            }
            return Future.succeededFuture(
                    new Route.Unroutable(true, "5.1.2", "Domain " + domain + " has neither MX nor address records"));
        });
    }

    /** The A and (if enabled) AAAA queries of a name, failures kept: [A, AAAA]. */
    private List<Future<List<String>>> addressLookups(String name) {
        return List.of(shared("A", name, () -> dns.resolveA(name)),
                ipv6 ? shared("AAAA", name, () -> dns.resolveAAAA(name)) : Future.succeededFuture(List.of()));
    }

    /**
     * One query per type and name at a time, shared by every caller that asks while it is in flight. Vert.x'
     * {@code DnsClient} matches an answer to its query by the 16-bit message id and the name only, so identical
     * queries in flight together collide now and then: the earlier one is never answered and fails with "DNS query
     * timeout" after {@code dns.timeout} (eclipse-vertx/vert.x#3523). With one delivery per record and up to
     * {@code concurrency} deliveries to the same domain at once that happened about once in 1,500 queries at 64
     * concurrent lookups of one name against the local dnsmasq, deferring the message for the first back-off
     * (5 min) or, before implicit-MX lookups failed temporarily, bouncing it. Sharing also spares the resolver.
     */
    @SuppressWarnings("unchecked")
    private <T> Future<T> shared(String type, String name, Supplier<Future<T>> query) {
        String key = type + " " + name.toLowerCase(Locale.ROOT);
        Future<?>[] sent = new Future<?>[1];
        Future<T> f = (Future<T>) inFlight.computeIfAbsent(key, k -> sent[0] = query.get());
        if (sent[0] != null) {
            Future<?> mine = sent[0];
            mine.onComplete(ar -> inFlight.remove(key, mine));
        }
        return f;
    }

    private static boolean hasAddresses(Future<List<String>> lookup) {
        return lookup.succeeded() && lookup.result() != null && !lookup.result().isEmpty();
    }

    private static boolean isNxdomain(Throwable cause) {
        return cause instanceof DnsException e && e.code() == DnsResponseCode.NXDOMAIN;
    }

    static Route dnsFailure(String domain, Throwable cause) {
        if (isNxdomain(cause)) {
            return new Route.Unroutable(true, "5.1.2", "Domain " + domain + " not found (NXDOMAIN)");
        }
        return new Route.Unroutable(false, "4.4.3", "DNS lookup of " + domain + " failed: " + cause.getMessage());
    }

    private static boolean isRoot(String name) {
        return name == null || name.isEmpty() || name.equals(".");
    }

    private static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
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

    private static InetAddress named(String host, String address) {
        try {
            return InetAddress.getByAddress(host, InetAddress.getByName(address).getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("DNS returned a malformed address " + address, e);
        }
    }
}
