package dev.kanmon.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Open loop: messages are offered on a fixed schedule (message k at t0 + k/rate), whatever the
 * server's replies, over a pool of logged-in sessions. A message whose slot comes while every
 * session is busy waits for a free one, and that wait is charged to it: its end-of-DATA -> 250
 * latency is counted from when its end-of-data would have been written had it been sent on time
 * (coordinated-omission correction by intended send time). The rate steps up until p99 exceeds
 * the limit, the server falls behind the schedule, or a step has errors; the answer is the
 * highest offered rate whose p99 stayed within the limit. Every step is bounded in count
 * (rate x seconds) and time.
 */
final class OpenLoopLoad implements Load {
    /**
     * minStepMessages: a step lasts until at least this many were offered (up to 4 x stepSeconds),
     * so a p99 at a low rate is not the worst of 75 samples.
     */
    record Config(int connections, List<Integer> rates, int stepSeconds, int minStepMessages, double p99LimitMs, int size,
                  boolean pipelining, String from, String rcpt, String tag, Credentials credentials, String ehlo) {
    }

    /** How a step ended, in the report. */
    private record Step(int rate, long offered, long accepted, long errors, double seconds,
                        Histogram corrected, Histogram raw, boolean behind) {
        double p99Ms() {
            return corrected.getTotalCount() == 0 ? Double.MAX_VALUE : corrected.getValueAtPercentile(99) / 1000.0;
        }

        boolean ok(double limitMs) {
            return errors == 0 && !behind && accepted == offered && p99Ms() <= limitMs;
        }
    }

    private final Vertx vertx;
    private final NetClient client;
    private final Target target;
    private final Config config;
    private final MessageFactory factory;
    private final Stats logins = new Stats();
    /** Across steps, so every Message-ID of the run is different. */
    private final AtomicInteger messageNo = new AtomicInteger();

    OpenLoopLoad(Vertx vertx, NetClient client, Target target, Config config) {
        this.vertx = vertx;
        this.client = client;
        this.target = target;
        this.config = config;
        this.factory = new MessageFactory(config.from(), config.rcpt(), config.tag(), config.size());
    }

    @Override
    public Report run(Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        List<SmtpConnection> pool = openPool();
        Report report = new Report().put("mode", "openloop").put("target", target.host() + ":" + target.port())
                .put("tls_mode", target.tls()).put("connections", config.connections()).put("connected", pool.size())
                .put("step_s", config.stepSeconds()).put("min_step_messages", config.minStepMessages()).put("p99_limit_ms", config.p99LimitMs())
                .put("size", config.size()).put("pipelining", config.pipelining()).put("tag", config.tag())
                .put("start_epoch_ms", System.currentTimeMillis());
        int best = 0;
        int stepNo = 0;
        long acceptedAll = 0;
        String stopReason = "all rates passed";
        for (int rate : config.rates()) {
            long stepNanos = TimeUnit.SECONDS.toNanos(4L * config.stepSeconds());
            if (pool.isEmpty() || System.nanoTime() + 2 * stepNanos > deadline) {
                stopReason = pool.isEmpty() ? "no session left" : "run deadline";
                break;
            }
            Step step = step(pool, rate, deadline);
            acceptedAll += step.accepted();
            String p = String.format(Locale.ROOT, "step%02d_", ++stepNo);
            report.put(p + "rate", rate).put(p + "offered", step.offered()).put(p + "accepted", step.accepted())
                    .put(p + "errors", step.errors()).put(p + "behind", step.behind())
                    .rate(p + "achieved_per_s", step.accepted() / step.seconds());
            report.latency(p + "eod", step.corrected());
            report.latency(p + "eod_raw", step.raw());
            System.err.printf(Locale.ROOT, "openloop: %d msgs/s offered, %d/%d accepted, p99 %s ms (raw %.2f), errors %d%s%n",
                    rate, step.accepted(), step.offered(),
                    step.accepted() == 0 ? "-" : String.format(Locale.ROOT, "%.2f", step.p99Ms()),
                    step.raw().getValueAtPercentile(99) / 1000.0, step.errors(), step.behind() ? ", fell behind" : "");
            if (!step.ok(config.p99LimitMs())) {
                stopReason = step.behind() ? "fell behind at " + rate : step.errors() > 0 ? "errors at " + rate
                        : "p99 over the limit at " + rate;
                break;
            }
            best = rate;
        }
        for (SmtpConnection c : pool) {
            c.onContext(c::quit);
        }
        Thread.sleep(500);
        report.put("accepted", acceptedAll).put("steps", stepNo).put("stop_reason", stopReason).put("max_rate_ok", best);
        logins.addTo(report);
        return report;
    }

    private List<SmtpConnection> openPool() throws Exception {
        List<Future<SmtpConnection>> opening = new ArrayList<>();
        Credentials cred = config.credentials();
        for (int s = 0; s < config.connections(); s++) {
            int n = s;
            long start = System.nanoTime();
            opening.add(SmtpConnection.open(vertx, client, target).compose(c -> c.hello(target, config.ehlo())
                    .compose(x -> c.authPlain(cred.user(n), cred.password(n)))
                    .map(authNanos -> {
                        logins.loggedIn(authNanos, System.nanoTime() - start, c.tlsDescription());
                        return c;
                    })
                    .onFailure(t -> c.close())));
        }
        Future.join(opening).toCompletionStage().toCompletableFuture().handle((v, t) -> null).get(120, TimeUnit.SECONDS);
        List<SmtpConnection> pool = new ArrayList<>();
        for (Future<SmtpConnection> f : opening) {
            if (f.succeeded()) {
                pool.add(f.result());
            } else {
                logins.error(f.cause() == null ? new IllegalStateException("login did not finish") : f.cause());
            }
        }
        return pool;
    }

    /**
     * One rate: this thread releases message k at its intended time into the dispatcher, which
     * hands it to a free session or queues it. More than two seconds of queued schedule means the
     * server cannot keep up; the step stops there.
     */
    private Step step(List<SmtpConnection> pool, int rate, long runDeadline) throws Exception {
        Dispatcher d = new Dispatcher(pool);
        long seconds = Math.max(config.stepSeconds(),
                Math.min(4L * config.stepSeconds(), (config.minStepMessages() + rate - 1) / rate));
        long total = (long) rate * seconds;
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long backlogLimit = Math.max(config.connections(), 2L * rate);
        long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        boolean behind = false;
        long k = 0;
        for (; k < total; k++) {
            long intended = t0 + k * interval;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!d.offer(intended)) {
                behind = true;
                k++;
                break;
            }
            if (d.queued() > backlogLimit) {
                behind = true;
                k++;
                break;
            }
        }
        // Let what was offered finish (bounded: the reply timeout of each session applies too).
        long drainUntil = Math.min(runDeadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(30 + seconds));
        while (!d.idle() && System.nanoTime() < drainUntil) {
            Thread.sleep(20);
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        pool.retainAll(d.alive());
        return new Step(rate, k, d.accepted(), d.errors(), elapsed, d.corrected(), d.raw(), behind || !d.idle());
    }

    /** Pairs due messages with free sessions; all state under one lock (a few hundred operations a second). */
    private final class Dispatcher {
        private final Deque<SmtpConnection> free = new ArrayDeque<>();
        private final Deque<Long> due = new ArrayDeque<>();
        private final List<SmtpConnection> alive;
        private final Histogram corrected = new Histogram(3);
        private final Histogram raw = new Histogram(3);
        private int busy;
        private long accepted;
        private long errors;

        Dispatcher(List<SmtpConnection> pool) {
            free.addAll(pool);
            alive = new ArrayList<>(pool);
        }

        synchronized boolean offer(long intended) {
            if (alive.isEmpty()) {
                return false;
            }
            SmtpConnection c = free.poll();
            if (c == null) {
                due.add(intended);
            } else {
                start(c, intended);
            }
            return true;
        }

        private void start(SmtpConnection c, long intended) {
            busy++;
            int n = messageNo.getAndIncrement();
            c.onContext(() -> {
                long begin = System.nanoTime();
                return Transaction.run(c, factory.message(0, n), config.from(), config.rcpt(), config.pipelining())
                        .onComplete(ar -> finished(c, intended, begin, ar.succeeded() ? ar.result() : null, ar.cause()));
            });
        }

        private synchronized void finished(SmtpConnection c, long intended, long begin, Transaction.Done done, Throwable failure) {
            busy--;
            if (done != null) {
                accepted++;
                long late = Math.max(0, begin - intended);
                raw.recordValue(done.latencyNanos() / 1000);
                corrected.recordValue((done.latencyNanos() + late) / 1000);
            } else {
                errors++;
                if (!(failure instanceof SmtpFailure f && f.refusal())) {
                    alive.remove(c);
                    return;
                }
            }
            Long next = due.poll();
            if (next != null) {
                start(c, next);
            } else {
                free.add(c);
            }
        }

        synchronized int queued() {
            return due.size();
        }

        synchronized boolean idle() {
            return busy == 0 && due.isEmpty() || alive.isEmpty();
        }

        synchronized long accepted() {
            return accepted;
        }

        synchronized long errors() {
            return errors + due.size();
        }

        synchronized List<SmtpConnection> alive() {
            return new ArrayList<>(alive);
        }

        synchronized Histogram corrected() {
            return corrected.copy();
        }

        synchronized Histogram raw() {
            return raw.copy();
        }
    }
}
