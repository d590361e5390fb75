package dev.kanmon.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/** Entry point: {@code java -jar kanmon-bench.jar send|openloop|auth|idle|sink|cpu-snapshot|cpu-diff|rounds|hash|kafka-topic [--option value ...]}. */
public final class Bench {
    private static final String USAGE = """
            usage: java -jar bench/target/kanmon-bench.jar MODE [options]
              send   N sessions x M messages: --sessions 20 --messages 50 --size 5000 --pipelining
                     --login per-session|per-message --from alice@example.test ({n} as in --user) --rcpt rcpt@dest.test --tag T
                     --duration S (instead of --messages: every session sends until S seconds are over)
                     --min-messages N (with --duration: go on until N were accepted) --max-messages 1000000
              openloop  fixed offered rates, stepped up: --sessions 50 (pool) --rates 20,50,100 --step-seconds 10
                     --min-step-messages 300 (a step lasts longer at low rates, up to 4 x step-seconds)
                     --p99-limit-ms 20 --size 5000 --pipelining --from --rcpt --tag
              auth   AUTH/s: --sessions 10 (concurrency) --count 200 --warmup 0 --distinct 1
              idle   idle sessions: --count 2000 --sessions 50 (opened at a time) --hold 30 --pid SERVER_PID
                     --source-addresses 127.0.1.1,127.0.1.2 (loopback source addresses, round-robin)
              sink   wait for messages in smtp-sink's dump dir: --dir D --tag T --expect N --since-ms EPOCH_MS
                     --delete-matched (remove this tag's files once counted)
              cpu-snapshot  --roots label=pid,... --cgroups label=/sys/fs/cgroup/...,... --out FILE
              cpu-diff      --before FILE --after FILE --delivered N --breakdown label,... --apart label,...
              rounds        --files r1.txt,r2.txt,... (median, min, max of every numeric key)
              hash          bare cost of Keycloak's password hash (run with Keycloak's JDK): --algorithm pbkdf2-sha256
                            (Keycloak's id: pbkdf2-sha256|pbkdf2-sha512|pbkdf2) --iterations 27500 (0: Keycloak's default)
                            --warmup-seconds 3 --seconds 5 --min-hashes 20 --threads <cores>; single thread, then all threads
                            --provider-jar KC/lib/lib/main/org.bouncycastle.bcprov-*.jar (Keycloak's provider, BC;
                            without it the JDK's) --also-jdk (time the JDK's provider too)
              kafka-topic   --bootstrap 127.0.0.1:19092 --topic T --key flush.messages [--set V | --delete]
            common:  --host 127.0.0.1 --port 2587 --tls starttls|implicit|none --trust CA.pem|all
                     --server-name NAME --user alice --password alice-secret ({n} = 1..distinct)
                     --ehlo bench.kanmon.test --threads 2 --max-seconds 300 --report FILE
                     --client-warmup 20 (uncounted connect+TLS+QUIT rounds first, no AUTH)
                     --reply-timeout 60 (seconds a session waits for any one reply)
                     --cpu-snapshot FILE --cpu-roots label=pid,... --cpu-cgroups label=dir,... (as cpu-snapshot,
                     taken after the client warm-up, right before the measured load)
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
        Report report = switch (mode) {
            case "sink" -> {
                SinkWatch watch = new SinkWatch(Path.of(a.str("dir", ".local-stack/sink/mail")), required(a, "tag"),
                        a.integer("expect", 1), Long.parseLong(required(a, "since-ms")), a.flag("delete-matched"));
                a.rejectUnknown();
                yield watch.run(limit);
            }
            case "cpu-snapshot" -> {
                String text = CpuSnapshot.take(CpuSnapshot.pairs(a.str("roots", ""), Long::parseLong),
                        CpuSnapshot.pairs(a.str("cgroups", ""), Path::of));
                Path out = Path.of(required(a, "out"));
                a.rejectUnknown();
                Files.writeString(out, text);
                yield new Report().put("snapshot", out);
            }
            case "cpu-diff" -> {
                Report r = CpuDiff.diff(Files.readString(Path.of(required(a, "before"))),
                        Files.readString(Path.of(required(a, "after"))), Long.parseLong(required(a, "delivered")),
                        Set.of(a.str("breakdown", "").split(",")), Set.of(a.str("apart", "").split(",")));
                a.rejectUnknown();
                yield r;
            }
            case "rounds" -> {
                List<Path> files = Arrays.stream(required(a, "files").split(",")).map(Path::of).toList();
                a.rejectUnknown();
                yield Rounds.reduce(files);
            }
            case "hash" -> {
                HashCost.Config config = new HashCost.Config(a.str("algorithm", "pbkdf2-sha256"),
                        a.integer("iterations", 0), a.integer("threads", Runtime.getRuntime().availableProcessors()),
                        Double.parseDouble(a.str("warmup-seconds", "3")), Double.parseDouble(a.str("seconds", "5")),
                        a.integer("min-hashes", 20), a.str("provider-jar", null), a.flag("also-jdk"));
                a.rejectUnknown();
                yield HashCost.run(config);
            }
            case "kafka-topic" -> {
                String bootstrap = a.str("bootstrap", "127.0.0.1:19092");
                String topic = required(a, "topic");
                String key = required(a, "key");
                String set = a.str("set", null);
                boolean delete = a.flag("delete");
                a.rejectUnknown();
                yield TopicConfig.apply(bootstrap, topic, set == null && !delete ? null : key, set, key);
            }
            default -> network(mode, a, limit);
        };
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
                        a.integer("messages", 50), a.integer("duration", 0) * 1000L, a.integer("min-messages", 0),
                        a.integer("max-messages", 1_000_000), a.integer("size", 5000), a.flag("pipelining"),
                        a.str("login", "per-session").equals("per-message"),
                        a.str("from", "alice@example.test"), a.str("rcpt", "rcpt@dest.test"),
                        a.str("tag", UUID.randomUUID().toString()), credentials, ehlo));
                case "openloop" -> new OpenLoopLoad(vertx, client, target, new OpenLoopLoad.Config(a.integer("sessions", 50),
                        Arrays.stream(a.str("rates", "20,50,100").split(",")).map(Integer::parseInt).toList(),
                        a.integer("step-seconds", 10), a.integer("min-step-messages", 300),
                        Double.parseDouble(a.str("p99-limit-ms", "20")),
                        a.integer("size", 5000), a.flag("pipelining"), a.str("from", "alice@example.test"),
                        a.str("rcpt", "rcpt@dest.test"), a.str("tag", UUID.randomUUID().toString()), credentials, ehlo));
                case "auth" -> new AuthLoad(vertx, client, target, new AuthLoad.Config(a.integer("sessions", 10),
                        a.integer("count", 200), a.integer("warmup", 0), credentials, ehlo));
                case "idle" -> new IdleLoad(vertx, sourceClients(vertx, target, trust, a.str("source-addresses", "")), target,
                        new IdleLoad.Config(a.integer("count", 2000),
                        a.integer("sessions", 50), a.integer("hold", 30), Long.parseLong(a.str("pid", "-1")), ehlo));
                default -> throw new IllegalArgumentException("unknown mode " + mode + "\n" + USAGE);
            };
            int warmup = a.integer("client-warmup", 20);
            String cpuOut = a.str("cpu-snapshot", null);
            String cpuRoots = a.str("cpu-roots", "");
            String cpuCgroups = a.str("cpu-cgroups", "");
            a.rejectUnknown();
            ClientWarmup.run(vertx, client, target, ehlo, warmup);
            if (cpuOut != null) {
                // Here, not before the JVM started: the client warm-up's handshakes are not the measured load.
                Files.writeString(Path.of(cpuOut), CpuSnapshot.take(CpuSnapshot.pairs(cpuRoots, Long::parseLong),
                        CpuSnapshot.pairs(cpuCgroups, Path::of)));
            }
            return load.run(limit);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    /** One client per loopback source address; none given: the one default client's address. */
    private static List<NetClient> sourceClients(Vertx vertx, Target target, String trust, String addresses) {
        List<NetClient> clients = new ArrayList<>();
        for (String address : addresses.split(",")) {
            if (!address.isBlank()) {
                clients.add(vertx.createNetClient(clientOptions(target, trust).setLocalAddress(address.trim())));
            }
        }
        return clients.isEmpty() ? List.of(vertx.createNetClient(clientOptions(target, trust))) : clients;
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
