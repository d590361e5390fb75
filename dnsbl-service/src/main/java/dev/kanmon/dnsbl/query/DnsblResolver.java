package dev.kanmon.dnsbl.query;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.kanmon.dnsbl.DnsblConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Asks DNSBL zones about addresses: an A query, then a TXT query only for listed addresses (the reason is needed for
 * listings alone, and most addresses are not listed). Answers are cached by their TTL, negative ones by the SOA
 * (RFC 2308), both bounded; failures are never cached.
 *
 * <p>Netty's {@link DnsNameResolver#query} is used instead of Vert.x's {@code DnsClient} because the latter returns
 * A/TXT data without TTLs, which the cache needs. It is just as non-blocking; it runs on one dedicated event-loop
 * thread so that it does not depend on the transport Vert.x was configured with.
 */
@ApplicationScoped
public class DnsblResolver {

    private final NioEventLoopGroup group;
    private final DnsNameResolver resolver;
    private final InetSocketAddress defaultServer;
    private final Map<String, InetSocketAddress> zoneServers;
    private final AsyncCache<String, ZoneAnswer> cache;
    private final Duration maxTtl;
    private final Duration negativeTtl;
    private final MeterRegistry registry;
    private final Counter cacheHits;
    private final Counter cacheMisses;

    @Inject
    public DnsblResolver(DnsblConfig config, MeterRegistry registry) {
        this.registry = registry;
        this.defaultServer = parseServer(config.dns().server());
        this.zoneServers = config.dns().zoneServers().entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(e -> normalizeZone(e.getKey()), e -> parseServer(e.getValue())));
        this.maxTtl = config.cache().maxTtl();
        this.negativeTtl = config.cache().negativeTtl();
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("dnsbl-dns", true));
        this.resolver = new DnsNameResolverBuilder(group.next())
                .datagramChannelType(NioDatagramChannel.class)
                .queryTimeoutMillis(config.dns().timeout().toMillis())
                .maxQueriesPerResolve(1)
                .recursionDesired(true)
                .build();
        this.cache = Caffeine.newBuilder()
                .maximumSize(config.cache().maxEntries())
                .expireAfter(Expiry.creating((String name, ZoneAnswer answer) -> answer.ttl()))
                .buildAsync();
        this.cacheHits = registry.counter("kanmon.dnsbl.cache", "result", "hit");
        this.cacheMisses = registry.counter("kanmon.dnsbl.cache", "result", "miss");
        registry.gauge("kanmon.dnsbl.cache.hit.ratio", this, DnsblResolver::hitRatio);
        registry.gauge("kanmon.dnsbl.cache.size", cache, c -> c.synchronous().estimatedSize());
    }

    /**
     * What {@code zone} says about {@code client}, from the cache or the DNS. Fails with {@link DnsQueryException} when
     * the zone gave no usable answer.
     */
    public CompletableFuture<ZoneAnswer> lookup(String zone, ClientAddress client) {
        String name = client.queryName(zone);
        boolean[] loaded = {false};
        CompletableFuture<ZoneAnswer> answer = cache.get(name, (key, executor) -> {
            loaded[0] = true;
            return resolve(zone, key);
        });
        (loaded[0] ? cacheMisses : cacheHits).increment();
        return answer;
    }

    private CompletableFuture<ZoneAnswer> resolve(String zone, String name) {
        InetSocketAddress server = zoneServers.getOrDefault(zone, defaultServer);
        return query(zone, server, name, DnsRecordType.A).thenCompose(a -> {
            if (a.data().isEmpty()) {
                return CompletableFuture.completedFuture(new ZoneAnswer(List.of(), null, a.ttl()));
            }
            // A listing without its TXT is still a listing: the reason is only decoration for the reply.
            return query(zone, server, name, DnsRecordType.TXT)
                    .handle((txt, err) -> new ZoneAnswer(a.data(),
                            err == null && !txt.data().isEmpty() ? String.join(" ", txt.data()) : null, a.ttl()));
        });
    }

    private CompletableFuture<Records> query(String zone, InetSocketAddress server, String name, DnsRecordType type) {
        CompletableFuture<Records> result = new CompletableFuture<>();
        Timer.Sample sample = Timer.start(registry);
        resolver.query(server, new DefaultDnsQuestion(name, type)).addListener(
                (io.netty.util.concurrent.Future<AddressedEnvelope<DnsResponse, InetSocketAddress>> f) -> {
                    if (!f.isSuccess()) {
                        sample.stop(timer(zone, type, "failure"));
                        Throwable cause = f.cause();
                        String reason = cause instanceof DnsNameResolverTimeoutException ? "timeout" : "error";
                        result.completeExceptionally(new DnsQueryException(reason,
                                type.name() + " " + name + " @" + server + ": " + cause.getMessage(), cause));
                        return;
                    }
                    AddressedEnvelope<DnsResponse, InetSocketAddress> envelope = f.getNow();
                    try {
                        DnsResponse response = envelope.content();
                        DnsResponseCode code = response.code();
                        if (DnsResponseCode.NOERROR.equals(code) || DnsResponseCode.NXDOMAIN.equals(code)) {
                            Records records = records(response, type);
                            sample.stop(timer(zone, type, records.data().isEmpty() ? "nxdomain" : "answer"));
                            result.complete(records);
                        } else {
                            sample.stop(timer(zone, type, "failure"));
                            result.completeExceptionally(new DnsQueryException(code.toString().replaceAll("\\(.*", ""),
                                    type.name() + " " + name + " @" + server + ": " + code, null));
                        }
                    } catch (RuntimeException e) {
                        result.completeExceptionally(new DnsQueryException("error", "bad answer for " + name, e));
                    } finally {
                        envelope.release();
                    }
                });
        return result;
    }

    private Timer timer(String zone, DnsRecordType type, String outcome) {
        return Timer.builder("kanmon.dnsbl.query")
                .description("DNS queries to DNSBL zones (cache misses only)")
                .tags("zone", zone, "type", type.name(), "outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    private Records records(DnsResponse response, DnsRecordType type) {
        List<String> data = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        for (int i = 0, n = response.count(DnsSection.ANSWER); i < n; i++) {
            DnsRecord record = response.recordAt(DnsSection.ANSWER, i);
            if (record.type().equals(type) && record instanceof DnsRawRecord raw) {
                data.add(type.equals(DnsRecordType.A) ? a(raw.content()) : txt(raw.content()));
                ttl = Math.min(ttl, record.timeToLive());
            }
        }
        if (!data.isEmpty()) {
            return new Records(data, min(Duration.ofSeconds(ttl), maxTtl));
        }
        return new Records(List.of(), min(soaNegativeTtl(response), negativeTtl));
    }

    /** RFC 2308 §5: the negative TTL is the smaller of the SOA record's TTL and its MINIMUM field. */
    private Duration soaNegativeTtl(DnsResponse response) {
        for (int i = 0, n = response.count(DnsSection.AUTHORITY); i < n; i++) {
            DnsRecord record = response.recordAt(DnsSection.AUTHORITY, i);
            if (record.type().equals(DnsRecordType.SOA) && record instanceof DnsRawRecord raw) {
                ByteBuf c = raw.content();
                // MINIMUM is the last 32 bits of the RDATA, whatever the (possibly compressed) names before it.
                long minimum = c.readableBytes() >= 20 ? c.getUnsignedInt(c.writerIndex() - 4) : Long.MAX_VALUE;
                return Duration.ofSeconds(Math.min(record.timeToLive(), minimum));
            }
        }
        return negativeTtl;
    }

    private static String a(ByteBuf c) {
        byte[] b = new byte[4];
        c.getBytes(c.readerIndex(), b);
        return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }

    /** TXT RDATA is one or more length-prefixed character-strings; long reasons are split over several. */
    private static String txt(ByteBuf c) {
        StringBuilder sb = new StringBuilder();
        int i = c.readerIndex();
        while (i < c.writerIndex()) {
            int len = c.getUnsignedByte(i);
            sb.append(c.toString(i + 1, Math.min(len, c.writerIndex() - i - 1), StandardCharsets.UTF_8));
            i += 1 + len;
        }
        return sb.toString();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private double hitRatio() {
        double hits = cacheHits.count();
        double total = hits + cacheMisses.count();
        return total == 0 ? 0 : hits / total;
    }

    static String normalizeZone(String zone) {
        String z = zone.strip().toLowerCase(java.util.Locale.ROOT);
        return z.endsWith(".") ? z.substring(0, z.length() - 1) : z;
    }

    /** {@code host:port}, {@code [v6]:port}, a bare address (port 53) or {@code system} (first resolv.conf server). */
    static InetSocketAddress parseServer(String server) {
        String s = server.strip();
        if (s.equalsIgnoreCase("system")) {
            return DnsServerAddressStreamProviders.platformDefault().nameServerAddressStream("").next();
        }
        String host = s;
        int port = 53;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            host = s.substring(1, end);
            if (s.length() > end + 1) {
                port = Integer.parseInt(s.substring(end + 2));
            }
        } else if (s.indexOf(':') == s.lastIndexOf(':') && s.indexOf(':') > 0) {
            host = s.substring(0, s.indexOf(':'));
            port = Integer.parseInt(s.substring(s.indexOf(':') + 1));
        }
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
        return literal != null ? new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(host), port)
                : new InetSocketAddress(host, port);
    }

    @PreDestroy
    void close() {
        resolver.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }

    private record Records(List<String> data, Duration ttl) {
    }
}
