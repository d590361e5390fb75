package dev.kanmon.delivery.mx;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.kanmon.delivery.config.DeliveryConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.netty.util.concurrent.FutureListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.spi.transport.Transport;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * DNS questions (MX, A, AAAA) to the configured server through Netty's {@link DnsNameResolver}, whose raw answers
 * carry their TTLs, with the answers cached in a Caffeine {@link AsyncCache} for the record set's smallest TTL
 * (bounded by {@code dns.min-ttl}/{@code dns.max-ttl}); NXDOMAIN and NODATA for the SOA's negative TTL (RFC 2308
 * §5, bounded by {@code dns.max-negative-ttl}, {@code dns.negative-ttl} without SOA). A failed lookup (time-out,
 * SERVFAIL, ...) is kept for no time at all, so the next delivery asks again. Identical questions in flight share
 * one query: the cache holds the pending future.
 */
@ApplicationScoped
public class DnsLookup {

    /** Longest CNAME chain followed (RFC 1034 §3.6.2 discourages chains at all; resolvers stop around 8-16). */
    private static final int MAX_CNAME_HOPS = 8;

    /** How long answers are kept. */
    public record Policy(Duration minTtl, Duration maxTtl, Duration negativeTtl, Duration maxNegativeTtl, long cacheSize) {

        static Policy of(DeliveryConfig.Dns dns) {
            return new Policy(dns.minTtl(), dns.maxTtl(), dns.negativeTtl(), dns.maxNegativeTtl(), dns.cacheSize());
        }
    }

    private record Question(DnsRecordType type, String name) {
    }

    /**
     * What the cache holds: an answer, or the failure, which expires at once. A failure is a value rather than an
     * exceptional completion because Caffeine logs a warning for each of those, and DNS failures are ordinary.
     */
    private record Cached(DnsAnswer<?> answer, DnsLookupException failure) {

        Duration ttl() {
            return failure != null ? Duration.ZERO : answer.ttl();
        }
    }

    private final Vertx vertx;
    private final DnsNameResolver resolver;
    private final Policy policy;
    private final AsyncCache<Question, Cached> cache;
    private final Map<DnsRecordType, Counter> queries = new HashMap<>();
    private final Counter hits;
    private final Counter misses;

    @Inject
    public DnsLookup(Vertx vertx, DeliveryConfig config, MeterRegistry registry) {
        this(vertx, config.dns().server().map(DnsLookup::address), config.dns().timeout(), Policy.of(config.dns()), registry);
    }

    /** {@code server} empty: the system resolver's name servers. */
    public DnsLookup(Vertx vertx, Optional<InetSocketAddress> server, Duration timeout, Policy policy, MeterRegistry registry) {
        this.vertx = vertx;
        this.policy = policy;
        Transport transport = ((VertxInternal) vertx).transport();
        DnsServerAddressStreamProvider servers = server
                .<DnsServerAddressStreamProvider>map(SingletonDnsServerAddressStreamProvider::new)
                .orElseGet(DnsServerAddressStreamProviders::platformDefault);
        // Netty's own caches are off: this class caches whole answers and decides what is kept
        this.resolver = new DnsNameResolverBuilder(vertx.nettyEventLoopGroup().next())
                .datagramChannelFactory(transport::datagramChannel)
                // TCP only to repeat a truncated UDP answer (a long MX list)
                .socketChannelFactory(() -> (SocketChannel) transport.channelFactory(false).newChannel())
                .nameServerProvider(servers)
                .queryTimeoutMillis(timeout.toMillis())
                .recursionDesired(true)
                .resolveCache(NoopDnsCache.INSTANCE)
                .cnameCache(NoopDnsCnameCache.INSTANCE)
                .authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE)
                .build();
        this.cache = Caffeine.newBuilder()
                .maximumSize(policy.cacheSize())
                .expireAfter(Expiry.<Question, Cached>writing((question, cached) -> cached.ttl()))
                .buildAsync();
        for (DnsRecordType type : List.of(DnsRecordType.MX, DnsRecordType.A, DnsRecordType.AAAA)) {
            queries.put(type, Counter.builder("kanmon.delivery.dns.queries").description("DNS queries sent")
                    .tag("type", type.name()).register(registry));
        }
        this.hits = cacheCounter(registry, "hit");
        this.misses = cacheCounter(registry, "miss");
    }

    private static Counter cacheCounter(MeterRegistry registry, String result) {
        return Counter.builder("kanmon.delivery.dns.cache")
                .description("DNS lookups answered from the cache or a query in flight (hit) or by a new query (miss)")
                .tag("result", result).register(registry);
    }

    private static InetSocketAddress address(String server) {
        int colon = server.lastIndexOf(':');
        return colon < 0 ? new InetSocketAddress(server, 53)
                : new InetSocketAddress(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)));
    }

    /** The MX records of a domain; a null MX ({@code MX 0 .}) has the empty name. */
    public Future<DnsAnswer<MxHost>> mx(String domain) {
        return lookup(DnsRecordType.MX, domain);
    }

    /** The A or AAAA records of a host, each address named after the host (for TLS host name checks). */
    public Future<DnsAnswer<InetAddress>> addresses(DnsRecordType type, String host) {
        return lookup(type, host);
    }

    @SuppressWarnings("unchecked")
    private <T> Future<DnsAnswer<T>> lookup(DnsRecordType type, String name) {
        Question question = new Question(type, normalize(name));
        boolean[] asked = new boolean[1];
        CompletableFuture<Cached> cached = cache.get(question, (q, executor) -> {
            asked[0] = true;
            return ask(q, q.name(), 0, Long.MAX_VALUE).handle((answer, failure) -> new Cached(answer,
                    failure == null ? null : failure instanceof DnsLookupException e ? e
                            : new DnsLookupException(question.type().name() + " " + question.name() + ": " + failure, failure)));
        });
        (asked[0] ? misses : hits).increment();
        // callbacks on the caller's context; a cached answer completes right here without a hop
        ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
        return Future.fromCompletionStage(cached, context).compose(c -> c.failure() != null
                ? Future.failedFuture(c.failure()) : Future.succeededFuture((DnsAnswer<T>) c.answer()));
    }

    /**
     * Asks for {@code name} (the question's name or the end of its CNAME chain) and completes with the answer to
     * the question; {@code chainTtl} is the smallest TTL of the CNAMEs followed so far.
     */
    private CompletableFuture<DnsAnswer<?>> ask(Question question, String name, int hops, long chainTtl) {
        queries.get(question.type()).increment();
        CompletableFuture<DnsAnswer<?>> result = new CompletableFuture<>();
        resolver.query(new DefaultDnsQuestion(name, question.type())).addListener(
                (FutureListener<AddressedEnvelope<DnsResponse, InetSocketAddress>>) sent -> {
                    if (!sent.isSuccess()) {
                        result.completeExceptionally(new DnsLookupException(
                                question.type().name() + " " + name + ": " + sent.cause().getMessage(), sent.cause()));
                        return;
                    }
                    AddressedEnvelope<DnsResponse, InetSocketAddress> envelope = sent.getNow();
                    try {
                        Reply reply = read(question, name, envelope.content(), chainTtl);
                        if (reply.answer() != null) {
                            result.complete(reply.answer());
                        } else if (hops >= MAX_CNAME_HOPS) {
                            throw new DnsLookupException("CNAME chain of " + question.name() + " too long", null);
                        } else {
                            ask(question, reply.follow(), hops + 1, reply.chainTtl()).whenComplete((a, e) -> {
                                if (e != null) {
                                    result.completeExceptionally(e);
                                } else {
                                    result.complete(a);
                                }
                            });
                        }
                    } catch (RuntimeException e) {
                        result.completeExceptionally(e instanceof DnsLookupException ? e
                                : new DnsLookupException("malformed DNS answer for " + question.type().name() + " " + name
                                        + ": " + e, e));
                    } finally {
                        envelope.release();
                    }
                });
        return result;
    }

    /** What one response says: the answer, or only a CNAME chain whose end has to be asked for itself. */
    private record Reply(DnsAnswer<?> answer, String follow, long chainTtl) {
    }

    private Reply read(Question question, String name, DnsResponse response, long chainTtl) {
        DnsResponseCode code = response.code();
        if (!code.equals(DnsResponseCode.NOERROR) && !code.equals(DnsResponseCode.NXDOMAIN)) {
            throw new DnsLookupException(question.type().name() + " " + name + ": " + code, null);
        }
        Map<String, DnsRawRecord> cnames = new HashMap<>();
        int count = response.count(DnsSection.ANSWER);
        for (int i = 0; i < count; i++) {
            DnsRecord r = response.recordAt(DnsSection.ANSWER, i);
            if (r.type().equals(DnsRecordType.CNAME) && r instanceof DnsRawRecord raw) {
                cnames.put(normalize(r.name()), raw);
            }
        }
        // a recursive server puts the CNAME chain before the records of its end (RFC 1034 §4.3.2)
        String owner = name;
        long ttl = chainTtl;
        for (int hop = 0; cnames.containsKey(owner); hop++) {
            if (hop >= MAX_CNAME_HOPS) {
                throw new DnsLookupException("CNAME chain of " + question.name() + " too long", null);
            }
            DnsRawRecord cname = cnames.get(owner);
            ttl = Math.min(ttl, cname.timeToLive());
            owner = normalize(DefaultDnsRecordDecoder.decodeName(cname.content().duplicate()));
        }
        List<Object> data = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            DnsRecord r = response.recordAt(DnsSection.ANSWER, i);
            if (r.type().equals(question.type()) && r instanceof DnsRawRecord raw && normalize(r.name()).equals(owner)) {
                data.add(decode(question, raw.content()));
                ttl = Math.min(ttl, r.timeToLive());
            }
        }
        if (!data.isEmpty()) {
            return new Reply(new DnsAnswer<>(false, data, bounded(ttl, policy.maxTtl())), null, 0);
        }
        boolean nxdomain = code.equals(DnsResponseCode.NXDOMAIN);
        if (!nxdomain && !owner.equals(name)) {
            return new Reply(null, owner, ttl); // the server did not follow the chain: ask for its end
        }
        return new Reply(new DnsAnswer<>(nxdomain, List.of(), bounded(Math.min(ttl, negativeTtl(response)),
                policy.maxNegativeTtl())), null, 0);
    }

    /** RFC 2308 §5: the smaller of the SOA's TTL and its MINIMUM field; {@code dns.negative-ttl} without SOA. */
    private long negativeTtl(DnsResponse response) {
        for (int i = 0; i < response.count(DnsSection.AUTHORITY); i++) {
            DnsRecord r = response.recordAt(DnsSection.AUTHORITY, i);
            if (r.type().equals(DnsRecordType.SOA) && r instanceof DnsRawRecord raw) {
                ByteBuf rdata = raw.content().duplicate();
                DefaultDnsRecordDecoder.decodeName(rdata); // MNAME
                DefaultDnsRecordDecoder.decodeName(rdata); // RNAME
                rdata.skipBytes(16); // SERIAL, REFRESH, RETRY, EXPIRE
                return Math.min(r.timeToLive(), rdata.readUnsignedInt());
            }
        }
        return policy.negativeTtl().toSeconds();
    }

    private Duration bounded(long ttlSeconds, Duration max) {
        Duration ttl = Duration.ofSeconds(Math.min(ttlSeconds, max.toSeconds()));
        return ttl.compareTo(policy.minTtl()) < 0 ? policy.minTtl() : ttl;
    }

    /**
     * Record data of the asked type. MX RDATA is a preference and a name that may be compressed: Netty hands it
     * over either decompressed (4.1.1xx copies MX, CNAME and NS names out of the message) or as a slice of the
     * whole message whose indexes are the message's, and in both cases {@code decodeName} resolves the pointers.
     */
    private static Object decode(Question question, ByteBuf rdata) {
        if (question.type().equals(DnsRecordType.MX)) {
            int preference = rdata.getUnsignedShort(rdata.readerIndex());
            String exchange = DefaultDnsRecordDecoder.decodeName(rdata.duplicate().skipBytes(2));
            return new MxHost(normalize(exchange), preference);
        }
        try {
            // A: 4 bytes, AAAA: 16; anything else is malformed and fails the lookup
            return InetAddress.getByAddress(question.name(), ByteBufUtil.getBytes(rdata));
        } catch (UnknownHostException e) {
            throw new DnsLookupException("malformed " + question.type().name() + " record for " + question.name(), e);
        }
    }

    /** Lower case without the trailing dot; the root is the empty name. */
    private static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    @PreDestroy
    void close() {
        resolver.close();
    }
}
