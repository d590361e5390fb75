package dev.kanmon.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/** Entry point: {@code java -jar kanmon-bench.jar send|auth|idle|sink [--option value ...]}. */
public final class Bench {
    private static final String USAGE = """
            usage: java -jar bench/target/kanmon-bench.jar MODE [options]
              send   N sessions x M messages: --sessions 20 --messages 50 --size 5000 --pipelining
                     --login per-session|per-message --from alice@example.test --rcpt rcpt@dest.test --tag T
              auth   AUTH/s: --sessions 10 (concurrency) --count 200 --warmup 0 --distinct 1
              idle   idle sessions: --count 2000 --sessions 50 (opened at a time) --hold 30 --pid SERVER_PID
              sink   wait for messages in smtp-sink's dump dir: --dir D --tag T --expect N --since-ms EPOCH_MS
            common:  --host 127.0.0.1 --port 2587 --tls starttls|implicit|none --trust CA.pem|all
                     --server-name NAME --user alice --password alice-secret ({n} = 1..distinct)
                     --ehlo bench.kanmon.test --threads 2 --max-seconds 300 --report FILE
                     --client-warmup 20 (uncounted connect+TLS+QUIT rounds first, no AUTH)
                     --reply-timeout 60 (seconds a session waits for any one reply)
            """;

    private Bench() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0 || argv[0].startsWith("-")) {
            System.err.print(USAGE);
            System.exit(2);
        }
        String mode = argv[0];
        Args a = new Args(argv, 1);
        Duration limit = Duration.ofSeconds(a.integer("max-seconds", 300));
        String reportFile = a.str("report", null);
        Report report;
        if (mode.equals("sink")) {
            SinkWatch watch = new SinkWatch(Path.of(a.str("dir", ".local-stack/sink/mail")), required(a, "tag"),
                    a.integer("expect", 1), Long.parseLong(required(a, "since-ms")));
            a.rejectUnknown();
            report = watch.run(limit);
        } else {
            report = network(mode, a, limit);
        }
        System.out.print(report.text());
        if (reportFile != null) {
            report.write(Path.of(reportFile));
        }
    }

    private static Report network(String mode, Args a, Duration limit) throws Exception {
        String host = a.str("host", "127.0.0.1");
        Target target = new Target(host, a.integer("port", 2587),
                TlsMode.valueOf(a.str("tls", "starttls").toUpperCase(Locale.ROOT)), a.str("server-name", host),
                a.integer("reply-timeout", 60) * 1000L);
        String trust = a.str("trust", "all");
        String ehlo = a.str("ehlo", "bench.kanmon.test");
        int threads = a.integer("threads", 2);
        Credentials credentials = new Credentials(a.str("user", "alice"), a.str("password", "alice-secret"),
                a.integer("distinct", 1));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(threads));
        try {
            NetClient client = vertx.createNetClient(clientOptions(target, trust));
            Load load = switch (mode) {
                case "send" -> new SendLoad(vertx, client, target, new SendLoad.Config(a.integer("sessions", 20),
                        a.integer("messages", 50), a.integer("size", 5000), a.flag("pipelining"),
                        a.str("login", "per-session").equals("per-message"),
                        a.str("from", "alice@example.test"), a.str("rcpt", "rcpt@dest.test"),
                        a.str("tag", UUID.randomUUID().toString()), credentials, ehlo));
                case "auth" -> new AuthLoad(vertx, client, target, new AuthLoad.Config(a.integer("sessions", 10),
                        a.integer("count", 200), a.integer("warmup", 0), credentials, ehlo));
                case "idle" -> new IdleLoad(client, target, new IdleLoad.Config(a.integer("count", 2000),
                        a.integer("sessions", 50), a.integer("hold", 30), Long.parseLong(a.str("pid", "-1")), ehlo));
                default -> throw new IllegalArgumentException("unknown mode " + mode + "\n" + USAGE);
            };
            int warmup = a.integer("client-warmup", 20);
            a.rejectUnknown();
            ClientWarmup.run(client, target, ehlo, warmup);
            return load.run(limit);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    private static NetClientOptions clientOptions(Target target, String trust) {
        NetClientOptions options = new NetClientOptions()
                .setConnectTimeout(10_000)
                .setSsl(target.tls() == TlsMode.IMPLICIT);
        if (trust.equals("all")) {
            return options.setTrustAll(true).setHostnameVerificationAlgorithm("");
        }
        return options.setTrustOptions(new PemTrustOptions().addCertPath(trust)).setHostnameVerificationAlgorithm("HTTPS");
    }

    private static String required(Args a, String key) {
        String v = a.str(key, null);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required\n" + USAGE);
        }
        return v;
    }
}
