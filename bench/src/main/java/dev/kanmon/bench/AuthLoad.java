package dev.kanmon.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * AUTH/s: C workers each loop connect, EHLO, STARTTLS, EHLO, AUTH PLAIN, QUIT until {@code count}
 * logins are done. Login n uses credential index n, so distinct accounts give cold checks
 * (nothing cached yet) and one repeated account gives warm ones (after the uncounted warm-up).
 */
final class AuthLoad implements Load {
    record Config(int concurrency, int count, int warmup, Credentials credentials, String ehlo) {
    }

    private final Vertx vertx;
    private final NetClient client;
    private final Target target;
    private final Config config;
    private final Set<SmtpConnection> open = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    AuthLoad(Vertx vertx, NetClient client, Target target, Config config) {
        this.vertx = vertx;
        this.client = client;
        this.target = target;
        this.config = config;
    }

    @Override
    public Report run(Duration limit) throws Exception {
        long timer = vertx.setTimer(limit.toMillis(), id -> {
            stopping = true;
            open.forEach(SmtpConnection::close);
        });
        Stats warmup = new Stats();
        logins(config.warmup(), warmup, limit);
        Stats stats = new Stats();
        long start = System.nanoTime();
        logins(config.count(), stats, limit);
        double seconds = (System.nanoTime() - start) / 1e9;
        vertx.cancelTimer(timer);
        Report report = new Report()
                .put("mode", "auth").put("target", target.host() + ":" + target.port()).put("tls_mode", target.tls())
                .put("concurrency", config.concurrency()).put("distinct_users", config.credentials().distinct())
                .put("warmup", config.warmup()).put("warmup_errors", warmup.errorCount())
                .put("deadline_hit", stopping)
                .put("attempted", config.count()).put("logins", stats.logins())
                .rate("elapsed_s", seconds)
                .rate("logins_per_s", stats.logins() / seconds);
        stats.addTo(report);
        return report;
    }

    private void logins(int total, Stats stats, Duration limit) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Future<Void>> workers = new ArrayList<>();
        for (int w = 0; w < Math.min(config.concurrency(), total); w++) {
            workers.add(worker(next, total, stats));
        }
        Future.all(workers).toCompletionStage().toCompletableFuture().get(limit.toSeconds() + 15, TimeUnit.SECONDS);
    }

    private Future<Void> worker(AtomicInteger next, int total, Stats stats) {
        int n = next.getAndIncrement();
        if (n >= total || stopping) {
            return Future.succeededFuture();
        }
        return login(n, stats).transform(ar -> {
            if (ar.failed()) {
                stats.error(ar.cause());
            }
            return worker(next, total, stats);
        });
    }

    private Future<Void> login(int n, Stats stats) {
        long start = System.nanoTime();
        Credentials cred = config.credentials();
        return SmtpConnection.open(vertx, client, target).compose(c -> {
            open.add(c);
            return c.hello(target, config.ehlo())
                    .compose(x -> c.authPlain(cred.user(n), cred.password(n)))
                    .onSuccess(authNanos -> stats.loggedIn(authNanos, System.nanoTime() - start, c.tlsDescription()))
                    .transform(ar -> c.quit().compose(v -> ar.succeeded()
                            ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(ar.cause())))
                    .onComplete(v -> open.remove(c));
        });
    }
}
