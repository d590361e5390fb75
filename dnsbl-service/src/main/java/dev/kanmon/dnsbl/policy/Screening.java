package dev.kanmon.dnsbl.policy;

import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.dnsbl.DnsblConfig;
import dev.kanmon.dnsbl.locallist.ListKind;
import dev.kanmon.dnsbl.locallist.LocalListEntry;
import dev.kanmon.dnsbl.locallist.LocalLists;
import dev.kanmon.dnsbl.query.ClientAddress;
import dev.kanmon.dnsbl.query.DnsQueryException;
import dev.kanmon.dnsbl.query.DnsblResolver;
import dev.kanmon.dnsbl.query.ZoneAnswer;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Decides on a client address: the operator's local lists first (deny → BLOCK, allow → PASS), then every configured
 * zone in parallel, scored. Anything that does not answer — a zone, or the local-list database — is skipped and
 * counted in {@code kanmon.dnsbl.failopen}: an outage never blocks mail.
 */
@ApplicationScoped
public class Screening {

    private static final Logger LOG = Logger.getLogger(Screening.class);
    private static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Scoring scoring;
    private final List<String> zones;
    private final DnsblResolver resolver;
    private final LocalLists localLists;
    private final MeterRegistry registry;
    private final Duration localListsTimeout;
    private final Map<String, Long> lastWarned = new ConcurrentHashMap<>();

    @Inject
    public Screening(DnsblConfig config, DnsblResolver resolver, LocalLists localLists, MeterRegistry registry) {
        this.scoring = new Scoring(config.sites().stream().map(Site::parse).toList(), config.threshold(),
                config.flagThreshold());
        this.zones = scoring.sites().stream().map(Site::zone).distinct().toList();
        this.resolver = resolver;
        this.localLists = localLists;
        this.registry = registry;
        this.localListsTimeout = config.localListsTimeout();
    }

    public Uni<CheckResult> check(ClientAddress client, String authenticated) {
        return localLists.match(client)
                .ifNoItem().after(localListsTimeout).fail()
                .onFailure().recoverWithItem(err -> {
                    failOpen("local", err instanceof io.smallrye.mutiny.TimeoutException ? "timeout" : "database", err);
                    return Optional.empty();
                })
                .flatMap(local -> local.isPresent()
                        ? Uni.createFrom().item(localDecision(client, local.get()))
                        : Uni.createFrom().completionStage(() -> dnsDecision(client)))
                .invoke(result -> count(client, result, authenticated));
    }

    private CheckResult localDecision(ClientAddress client, LocalListEntry entry) {
        ListKind kind = ListKind.of(entry.list());
        Listing listing = new Listing("local-" + kind.key(), entry.cidr(), entry.comment());
        if (kind == ListKind.DENY) {
            // The comment is the operator's note, not for the client: the reply only says who decided.
            SmtpReply reply = SmtpReply.of(554, "5.7.1",
                    "Service unavailable; client [" + client.text() + "] blocked by local policy");
            return new CheckResult(Verdict.BLOCK, 0, List.of(listing), reply);
        }
        return new CheckResult(Verdict.PASS, 0, List.of(listing), null);
    }

    private CompletableFuture<CheckResult> dnsDecision(ClientAddress client) {
        Map<String, CompletableFuture<ZoneAnswer>> pending = new LinkedHashMap<>();
        for (String zone : zones) {
            pending.put(zone, resolver.lookup(zone, client));
        }
        return CompletableFuture.allOf(pending.values().stream()
                        .map(f -> f.handle((a, e) -> null)).toArray(CompletableFuture[]::new))
                .thenApply(done -> {
                    Map<String, ZoneAnswer> answers = new LinkedHashMap<>();
                    pending.forEach((zone, f) -> {
                        if (f.isCompletedExceptionally()) {
                            Throwable err = f.handle((a, e) -> e).join();
                            failOpen(zone, reason(err), err);
                        } else {
                            answers.put(zone, f.join());
                        }
                    });
                    return scoring.decide(client, answers);
                });
    }

    private void count(ClientAddress client, CheckResult result, String authenticated) {
        String source = result.listings().stream().map(Listing::zone).filter(z -> z.startsWith("local-")).findFirst()
                .orElse("dns");
        registry.counter("kanmon.dnsbl.verdicts", "verdict", result.verdict().name().toLowerCase(Locale.ROOT),
                "source", source, "authenticated", authenticated).increment();
        if (source.equals("dns")) {
            result.listings().forEach(l -> registry.counter("kanmon.dnsbl.listings", "zone", l.zone()).increment());
        }
        if (result.verdict() != Verdict.PASS || !result.listings().isEmpty()) {
            LOG.infof("client %s: %s score %.1f %s", client, result.verdict(), result.score(), result.listings());
        }
    }

    private void failOpen(String zone, String reason, Throwable err) {
        registry.counter("kanmon.dnsbl.failopen", "zone", zone, "reason", reason).increment();
        // During an outage every check fails the same way: one line per zone and minute, the metric has the count.
        long now = System.nanoTime();
        Long last = lastWarned.get(zone);
        if (last == null || now - last > WARN_INTERVAL_NANOS) {
            lastWarned.put(zone, now);
            LOG.warnf("%s did not answer (%s: %s); counted as not listed (kanmon.dnsbl.failopen, logged once a minute)",
                    zone, reason, err.getMessage() != null ? err.getMessage() : err.getClass().getSimpleName());
        } else {
            LOG.debugf("%s did not answer (%s)", zone, reason);
        }
    }

    private static String reason(Throwable err) {
        Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        return e instanceof DnsQueryException q ? q.reason() : "error";
    }
}
