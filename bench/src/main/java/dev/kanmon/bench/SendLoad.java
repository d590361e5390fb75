package dev.kanmon.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N concurrent sessions, each logging in once (or once per message) and sending messages; counts
 * 250 replies to end-of-data and their latency. Either M messages per session (quick runs), or,
 * with a duration, every session keeps sending until the duration is over (and, for a warm-up,
 * until at least {@code minMessages} were accepted), so the measured phase has a fixed length
 * whatever the server's speed. Bounded by {@code maxMessages} and the run's deadline either way.
 */
final class SendLoad implements Load {
    record Config(int sessions, int messages, long durationMs, long minMessages, long maxMessages,
                  int size, boolean pipelining, boolean loginPerMessage,
                  String from, String rcpt, String tag, Credentials credentials, String ehlo) {
        boolean timed() {
            return durationMs > 0;
        }
    }

    private final Vertx vertx;
    private final NetClient client;
    private final Target target;
    private final Config config;
    private final MessageFactory factory;
    private final Stats stats = new Stats();
    private final Set<SmtpConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong issued = new AtomicLong();
    private volatile boolean stopping;
    private long sendUntil;

    SendLoad(Vertx vertx, NetClient client, Target target, Config config) {
        this.vertx = vertx;
        this.client = client;
        this.target = target;
        this.config = config;
        this.factory = new MessageFactory(config.from(), config.rcpt(), config.tag(), config.size());
    }

    @Override
    public Report run(Duration limit) throws Exception {
        long cpuBefore = ClientCpu.nanos();
        long startEpoch = System.currentTimeMillis();
        long start = System.nanoTime();
        sendUntil = start + TimeUnit.MILLISECONDS.toNanos(config.durationMs());
        long timer = vertx.setTimer(limit.toMillis(), id -> {
            stopping = true;
            open.forEach(SmtpConnection::close);
        });
        // The accepted rate of every 10 s: a warm-up shows whether it flattened out (JIT settled).
        List<String> rateBy10s = Collections.synchronizedList(new ArrayList<>());
        long[] lastCount = {0};
        long sampler = vertx.setPeriodic(10_000, id -> {
            long now = stats.accepted();
            rateBy10s.add(String.format(Locale.ROOT, "%.1f", (now - lastCount[0]) / 10.0));
            lastCount[0] = now;
        });
        List<Future<Void>> sessions = new ArrayList<>();
        for (int s = 0; s < config.sessions(); s++) {
            sessions.add(config.loginPerMessage() ? eachWithOwnLogin(s) : session(s));
        }
        Future.all(sessions).toCompletionStage().toCompletableFuture()
                .get(limit.toSeconds() + 15, TimeUnit.SECONDS);
        vertx.cancelTimer(timer);
        vertx.cancelTimer(sampler);
        double seconds = (System.nanoTime() - start) / 1e9;
        long attempted = config.timed() ? issued.get() : (long) config.sessions() * config.messages();
        Report report = new Report()
                .put("mode", "send").put("target", target.host() + ":" + target.port()).put("tls_mode", target.tls())
                .put("sessions", config.sessions())
                .put("messages_per_session", config.timed() ? "until " + config.durationMs() / 1000 + " s" : config.messages())
                .put("duration_s", config.durationMs() / 1000.0)
                .put("size", config.size()).put("pipelining", config.pipelining())
                .put("login", config.loginPerMessage() ? "per-message" : "per-session").put("tag", config.tag())
                .put("start_epoch_ms", startEpoch).put("deadline_hit", stopping)
                .put("attempted", attempted)
                .put("accepted", stats.accepted())
                .rate("elapsed_s", seconds)
                .rate("accepted_per_s", stats.accepted() / seconds);
        if (!rateBy10s.isEmpty()) {
            report.put("accepted_per_s_by_10s", String.join(" ", rateBy10s));
        }
        stats.addTo(report);
        report.put("client_cpu_ms", (ClientCpu.nanos() - cpuBefore) / 1_000_000);
        return report;
    }

    /** Whether message i of a session goes out; in timed mode it also claims one slot of maxMessages. */
    private boolean more(int i) {
        if (stopping) {
            return false;
        }
        if (!config.timed()) {
            return i < config.messages();
        }
        boolean wanted = System.nanoTime() < sendUntil || stats.accepted() < config.minMessages();
        return wanted && issued.incrementAndGet() <= config.maxMessages();
    }

    /** Messages a count-mode session will not send after stopping at i (timed sessions have no fixed count). */
    private long left(int i) {
        return config.timed() ? 0 : Math.max(0, config.messages() - i);
    }

    private Future<Void> session(int s) {
        return login(s).transform(ar -> {
            if (ar.failed()) {
                stats.error(ar.cause());
                stats.notSent(left(0));
                return Future.succeededFuture();
            }
            SmtpConnection c = ar.result();
            Promise<Void> done = Promise.promise();
            transactions(c, s, 0, done);
            return done.future().compose(v -> c.quit()).onComplete(v -> open.remove(c));
        });
    }

    /**
     * One transaction after the other on a session. The loop completes one promise instead of nesting a future per
     * message: a chain thousands of messages deep (a fast server, a 60 s phase) completed by recursion and
     * overflowed the stack, which left the session's future, and so the whole phase, never completed.
     */
    private void transactions(SmtpConnection c, int s, int i, Promise<Void> done) {
        if (!more(i)) {
            stats.notSent(left(i));
            done.complete();
            return;
        }
        transaction(c, s, i).onComplete(ar -> {
            if (ar.failed()) {
                // The connection is gone; the rest of this session's messages are not sent.
                stats.error(ar.cause());
                stats.notSent(left(i + 1));
                done.complete();
                return;
            }
            transactions(c, s, i + 1, done);
        });
    }

    private Future<Void> eachWithOwnLogin(int s) {
        Promise<Void> done = Promise.promise();
        eachWithOwnLogin(s, 0, done);
        return done.future();
    }

    private void eachWithOwnLogin(int s, int i, Promise<Void> done) {
        if (!more(i)) {
            stats.notSent(left(i));
            done.complete();
            return;
        }
        login(s).compose(c -> transaction(c, s, i).compose(v -> c.quit()).onComplete(v -> open.remove(c)))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        stats.error(ar.cause());
                    }
                    eachWithOwnLogin(s, i + 1, done);
                });
    }

    private Future<SmtpConnection> login(int s) {
        long start = System.nanoTime();
        Credentials cred = config.credentials();
        return SmtpConnection.open(vertx, client, target).compose(c -> {
            open.add(c);
            return c.hello(target, config.ehlo())
                    .compose(x -> c.authPlain(cred.user(s), cred.password(s)))
                    .map(authNanos -> {
                        stats.loggedIn(authNanos, System.nanoTime() - start, c.tlsDescription());
                        return c;
                    })
                    .onFailure(t -> {
                        open.remove(c);
                        c.close();
                    });
        });
    }

    /** Refusals are counted and the session goes on; only I/O errors and timeouts fail the future. */
    private Future<Void> transaction(SmtpConnection c, int s, int i) {
        String from = config.credentials().fill(config.from(), s);
        return Transaction.run(c, factory.message(s, i, from), from, config.rcpt(), config.pipelining()).transform(ar -> {
            if (ar.succeeded()) {
                stats.accepted(ar.result().latencyNanos());
                return Future.succeededFuture();
            }
            if (ar.cause() instanceof SmtpFailure f && f.refusal()) {
                stats.error(f);
                return Future.succeededFuture();
            }
            return Future.failedFuture(ar.cause());
        });
    }
}
