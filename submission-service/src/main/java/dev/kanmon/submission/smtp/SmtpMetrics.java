package dev.kanmon.submission.smtp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SMTP metrics. Counters are looked up once and kept, so the per-command cost is an increment, not a
 * registry lookup with fresh tag objects.
 */
@ApplicationScoped
public class SmtpMetrics {

    private final MeterRegistry registry;
    private final Map<ListenerKind, PerListener> listeners = new EnumMap<>(ListenerKind.class);
    private final Map<String, Counter> commands = new ConcurrentHashMap<>();

    public SmtpMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (ListenerKind kind : ListenerKind.values()) {
            listeners.put(kind, new PerListener(registry, kind));
        }
    }

    void sessionOpened(ListenerKind kind) {
        PerListener l = listeners.get(kind);
        l.sessions.increment();
        l.active.incrementAndGet();
    }

    void sessionClosed(ListenerKind kind) {
        listeners.get(kind).active.decrementAndGet();
    }

    /** Counts a command by verb; unknown verbs share one tag so clients cannot blow up the series count. */
    void command(String verb) {
        commands.computeIfAbsent(verb, v -> registry.counter("kanmon.smtp.commands", "verb", v)).increment();
    }

    void reply(ListenerKind kind, int code) {
        listeners.get(kind).replies[code / 100 - 2].increment();
    }

    void tlsHandshake(ListenerKind kind, boolean ok) {
        (ok ? listeners.get(kind).tlsOk : listeners.get(kind).tlsFailed).increment();
    }

    void accepted(ListenerKind kind, long size) {
        PerListener l = listeners.get(kind);
        l.accepted.increment();
        l.acceptedBytes.increment(size);
    }

    /** A DNSBL verdict acted upon: {@code blocked} or {@code flagged}, at {@code connect} or {@code auth}. */
    void dnsbl(ListenerKind kind, String stage, String action) {
        registry.counter("kanmon.smtp.dnsbl.actions", "listener", kind.id(), "stage", stage, "action", action)
                .increment();
    }

    /** A connection whose PROXY header came from a peer outside the trusted load-balancer networks. */
    void proxyRejected(ListenerKind kind) {
        registry.counter("kanmon.smtp.proxy.rejected", "listener", kind.id()).increment();
    }

    /** A session whose user an identity change in Keycloak revoked ({@code change}: the event's change type). */
    void sessionRevoked(ListenerKind kind, String change) {
        registry.counter("kanmon.smtp.sessions.revoked", "listener", kind.id(), "change", change).increment();
    }

    void rejected(ListenerKind kind) {
        listeners.get(kind).rejected.increment();
    }

    private static final class PerListener {
        final Counter sessions;
        final AtomicInteger active = new AtomicInteger();
        final Counter[] replies = new Counter[4];
        final Counter tlsOk;
        final Counter tlsFailed;
        final Counter accepted;
        final Counter acceptedBytes;
        final Counter rejected;

        PerListener(MeterRegistry registry, ListenerKind kind) {
            Tags tags = Tags.of("listener", kind.id());
            sessions = registry.counter("kanmon.smtp.sessions", tags);
            registry.gauge("kanmon.smtp.sessions.active", tags, active);
            for (int i = 0; i < 4; i++) {
                replies[i] = registry.counter("kanmon.smtp.replies", tags.and("class", (i + 2) + "xx"));
            }
            tlsOk = registry.counter("kanmon.smtp.tls.handshakes", tags.and("result", "success"));
            tlsFailed = registry.counter("kanmon.smtp.tls.handshakes", tags.and("result", "failure"));
            accepted = registry.counter("kanmon.smtp.messages.accepted", tags);
            acceptedBytes = registry.counter("kanmon.smtp.messages.accepted.bytes", tags);
            rejected = registry.counter("kanmon.smtp.messages.rejected", tags);
        }
    }
}
