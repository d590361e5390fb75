package dev.kanmon.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens K sessions (EHLO, STARTTLS, EHLO), holds them idle, then sends NOOP on each to count how
 * many the server kept. Samples the server's RSS before, while held and after closing. Sessions
 * are spread round-robin over several clients, one per loopback source address, so ten thousand
 * of them never run short of ephemeral ports (about 28,000 per source address and destination).
 */
final class IdleLoad implements Load {
    record Config(int count, int concurrency, int holdSeconds, long serverPid, String ehlo) {
    }

    private final Vertx vertx;
    private final List<NetClient> clients;
    private final Target target;
    private final Config config;
    private final Stats stats = new Stats();
    private final List<SmtpConnection> held = new CopyOnWriteArrayList<>();

    IdleLoad(Vertx vertx, List<NetClient> clients, Target target, Config config) {
        this.vertx = vertx;
        this.clients = clients;
        this.target = target;
        this.config = config;
    }

    @Override
    public Report run(Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        long rssBefore = Rss.kib(config.serverPid());
        long start = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        List<Future<Void>> openers = new ArrayList<>();
        for (int w = 0; w < Math.min(config.concurrency(), config.count()); w++) {
            openers.add(opener(next));
        }
        Future.all(openers).toCompletionStage().toCompletableFuture().get(limit.toSeconds(), TimeUnit.SECONDS);
        double openSeconds = (System.nanoTime() - start) / 1e9;
        int opened = held.size();
        System.err.printf("idle: %d of %d sessions open after %.1f s, holding %d s%n",
                opened, config.count(), openSeconds, config.holdSeconds());

        long rssHeld = Rss.kib(config.serverPid());
        long holdUntil = Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(config.holdSeconds()));
        while (System.nanoTime() < holdUntil) {
            Thread.sleep(1000);
            rssHeld = Math.max(rssHeld, Rss.kib(config.serverPid()));
        }

        AtomicInteger alive = new AtomicInteger();
        List<Future<Reply>> noops = new ArrayList<>();
        for (SmtpConnection c : held) {
            noops.add(c.onContext(() -> c.command("NOOP")).onSuccess(r -> {
                if (r.is(250)) {
                    alive.incrementAndGet();
                }
            }));
        }
        Future.join(noops).toCompletionStage().toCompletableFuture()
                .handle((v, t) -> null).get(30, TimeUnit.SECONDS);
        List<Future<Void>> quits = new ArrayList<>();
        for (SmtpConnection c : held) {
            quits.add(c.onContext(c::quit));
        }
        Future.join(quits).toCompletionStage().toCompletableFuture()
                .handle((v, t) -> null).get(30, TimeUnit.SECONDS);
        Thread.sleep(3000);
        long rssAfter = Rss.kib(config.serverPid());

        Report report = new Report()
                .put("mode", "idle").put("target", target.host() + ":" + target.port()).put("tls_mode", target.tls())
                .put("idle_requested", config.count()).put("idle_opened", opened)
                .rate("idle_open_s", openSeconds).put("idle_hold_s", config.holdSeconds())
                .put("idle_alive_after_hold", alive.get())
                .put("server_pid", config.serverPid()).put("source_addresses", clients.size())
                .put("rss_before_kib", rssBefore).put("rss_held_kib", rssHeld).put("rss_after_kib", rssAfter);
        if (rssBefore > 0 && opened > 0) {
            report.rate("rss_per_session_kib", (rssHeld - rssBefore) / (double) opened);
        }
        stats.addTo(report);
        return report;
    }

    private Future<Void> opener(AtomicInteger next) {
        int n = next.getAndIncrement();
        if (n >= config.count()) {
            return Future.succeededFuture();
        }
        return SmtpConnection.open(vertx, clients.get(n % clients.size()), target)
                .compose(c -> c.hello(target, config.ehlo()).onFailure(t -> c.close()))
                .transform(ar -> {
                    if (ar.succeeded()) {
                        held.add(ar.result());
                    } else {
                        stats.error(ar.cause());
                    }
                    return opener(next);
                });
    }
}
