package dev.kanmon.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * N concurrent sessions, each logging in once (or once per message) and sending M messages;
 * counts 250 replies to end-of-data and their latency.
 */
final class SendLoad implements Load {
    record Config(int sessions, int messages, int size, boolean pipelining, boolean loginPerMessage,
                  String from, String rcpt, String tag, Credentials credentials, String ehlo) {
    }

    private final Vertx vertx;
    private final NetClient client;
    private final Target target;
    private final Config config;
    private final MessageFactory factory;
    private final Stats stats = new Stats();
    private final Set<SmtpConnection> open = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    SendLoad(Vertx vertx, NetClient client, Target target, Config config) {
        this.vertx = vertx;
        this.client = client;
        this.target = target;
        this.config = config;
        this.factory = new MessageFactory(config.from(), config.rcpt(), config.tag(), config.size());
    }

    @Override
    public Report run(Duration limit) throws Exception {
        long startEpoch = System.currentTimeMillis();
        long start = System.nanoTime();
        long timer = vertx.setTimer(limit.toMillis(), id -> {
            stopping = true;
            open.forEach(SmtpConnection::close);
        });
        List<Future<Void>> sessions = new ArrayList<>();
        for (int s = 0; s < config.sessions(); s++) {
            sessions.add(config.loginPerMessage() ? eachWithOwnLogin(s, 0) : session(s));
        }
        Future.all(sessions).toCompletionStage().toCompletableFuture()
                .get(limit.toSeconds() + 15, TimeUnit.SECONDS);
        vertx.cancelTimer(timer);
        double seconds = (System.nanoTime() - start) / 1e9;
        Report report = new Report()
                .put("mode", "send").put("target", target.host() + ":" + target.port()).put("tls_mode", target.tls())
                .put("sessions", config.sessions()).put("messages_per_session", config.messages())
                .put("size", config.size()).put("pipelining", config.pipelining())
                .put("login", config.loginPerMessage() ? "per-message" : "per-session").put("tag", config.tag())
                .put("start_epoch_ms", startEpoch).put("deadline_hit", stopping)
                .put("attempted", (long) config.sessions() * config.messages())
                .put("accepted", stats.accepted())
                .rate("elapsed_s", seconds)
                .rate("accepted_per_s", stats.accepted() / seconds);
        stats.addTo(report);
        return report;
    }

    private Future<Void> session(int s) {
        return login(s).transform(ar -> {
            if (ar.failed()) {
                stats.error(ar.cause());
                stats.notSent(config.messages());
                return Future.succeededFuture();
            }
            SmtpConnection c = ar.result();
            return transactions(c, s, 0).compose(v -> c.quit()).onComplete(v -> open.remove(c));
        });
    }

    private Future<Void> transactions(SmtpConnection c, int s, int i) {
        if (i == config.messages()) {
            return Future.succeededFuture();
        }
        if (stopping) {
            stats.notSent(config.messages() - i);
            return Future.succeededFuture();
        }
        return transaction(c, s, i).transform(ar -> {
            if (ar.failed()) {
                // The connection is gone; the rest of this session's messages are not sent.
                stats.error(ar.cause());
                stats.notSent(config.messages() - i - 1);
                return Future.succeededFuture();
            }
            return transactions(c, s, i + 1);
        });
    }

    private Future<Void> eachWithOwnLogin(int s, int i) {
        if (i == config.messages()) {
            return Future.succeededFuture();
        }
        if (stopping) {
            stats.notSent(config.messages() - i);
            return Future.succeededFuture();
        }
        return login(s)
                .compose(c -> transaction(c, s, i).compose(v -> c.quit()).onComplete(v -> open.remove(c)))
                .transform(ar -> {
                    if (ar.failed()) {
                        stats.error(ar.cause());
                    }
                    return eachWithOwnLogin(s, i + 1);
                });
    }

    private Future<SmtpConnection> login(int s) {
        long start = System.nanoTime();
        Credentials cred = config.credentials();
        return SmtpConnection.open(client, target).compose(c -> {
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

    /** One MAIL/RCPT/DATA transaction. Refusals are counted and followed by RSET; only I/O errors and timeouts fail the future. */
    private Future<Void> transaction(SmtpConnection c, int s, int i) {
        Buffer message = factory.message(s, i);
        String mail = "MAIL FROM:<" + config.from() + "> SIZE=" + message.length();
        String rcpt = "RCPT TO:<" + config.rcpt() + ">";
        Future<Reply> dataGo;
        if (config.pipelining()) {
            List<Future<Reply>> r = c.pipeline(List.of(mail, rcpt, "DATA"));
            dataGo = Future.all(r).compose(x -> firstRefusal(r.get(0).result(), r.get(1).result(), r.get(2).result()));
        } else {
            dataGo = c.command(mail).compose(r -> SmtpConnection.check("MAIL", r, 250))
                    .compose(r -> c.command(rcpt)).compose(r -> SmtpConnection.check("RCPT", r, 250))
                    .compose(r -> c.command("DATA")).compose(r -> SmtpConnection.check("DATA", r, 354));
        }
        return dataGo.compose(
                go -> {
                    long start = System.nanoTime();
                    return c.data(message).map(r -> {
                        if (r.is(250)) {
                            stats.accepted(System.nanoTime() - start);
                        } else {
                            stats.error(SmtpFailure.refused("EOD", r));
                        }
                        return null;
                    });
                },
                t -> {
                    if (t instanceof SmtpFailure f && f.refusal()) {
                        stats.error(t);
                        return c.command("RSET").mapEmpty();
                    }
                    return Future.failedFuture(t);
                });
    }

    private static Future<Reply> firstRefusal(Reply mail, Reply rcpt, Reply data) {
        // A 354 means the server wants the content, whatever it said before; the end-of-data reply decides.
        if (data.is(354)) {
            return Future.succeededFuture(data);
        }
        SmtpFailure f = !mail.is(250) ? SmtpFailure.refused("MAIL", mail)
                : !rcpt.is(250) ? SmtpFailure.refused("RCPT", rcpt) : SmtpFailure.refused("DATA", data);
        return Future.failedFuture(f);
    }
}
