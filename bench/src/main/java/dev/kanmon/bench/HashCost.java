package dev.kanmon.bench;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.Provider;
import java.lang.management.ThreadMXBean;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bare cost of one password hash as Keycloak computes it for a password policy
 * ({@code hashAlgorithm(pbkdf2-sha256) and hashIterations(27500)}): {@code PBKDF2WithHmacSHA256} with a
 * 16-byte salt and Keycloak's derived key size (256 bits for pbkdf2-sha256), a new
 * {@link SecretKeyFactory} per hash as in Keycloak's {@code Pbkdf2PasswordHashProvider}. Nothing else:
 * no HTTP, no database, no session. Timed single-threaded and on every core, after a warm-up that lets
 * the JIT compile the HMAC loop.
 * <p>
 * Keycloak (non-FIPS, {@code keycloak-crypto-default}) takes the factory from the BouncyCastle provider
 * ({@code DefaultCryptoProvider.getSecretKeyFact}: {@code SecretKeyFactory.getInstance(alg, "BC")}),
 * whose SHA-256 is plain Java, not the JDK's SunJCE with its SHA intrinsics: {@code --provider-jar} loads
 * that provider from Keycloak's own {@code bcprov} jar, so the same code is timed; {@code --also-jdk}
 * times the JDK's provider too, for comparison. Run it with the JDK Keycloak runs on.
 */
final class HashCost {
    /** Keycloak's provider id, its JDK algorithm, its derived key size in bits, its default iterations (Keycloak 26). */
    private record Algorithm(String id, String jdk, int keyBits, int defaultIterations) {
    }

    private static final List<Algorithm> ALGORITHMS = List.of(
            new Algorithm("pbkdf2-sha256", "PBKDF2WithHmacSHA256", 256, 600_000),
            new Algorithm("pbkdf2-sha512", "PBKDF2WithHmacSHA512", 512, 210_000),
            new Algorithm("pbkdf2", "PBKDF2WithHmacSHA1", 512, 1_300_000));

    private static final int WARMUP_HASHES = 50;

    record Config(String algorithm, int iterations, int threads, double warmupSeconds, double seconds, int minHashes,
                  String providerJar, boolean alsoJdk) {
    }

    private HashCost() {
    }

    static Report run(Config c) throws Exception {
        Algorithm alg = ALGORITHMS.stream().filter(x -> x.id().equals(c.algorithm())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown --algorithm " + c.algorithm()
                        + " (Keycloak's pbkdf2-sha256, pbkdf2-sha512 or pbkdf2)"));
        int iterations = c.iterations() > 0 ? c.iterations() : alg.defaultIterations();
        Provider provider = c.providerJar() == null ? null : bouncyCastle(c.providerJar());
        Report r = new Report()
                .put("algorithm", alg.id())
                .put("jdk_algorithm", alg.jdk())
                .put("iterations", iterations)
                .put("key_bits", alg.keyBits())
                .put("salt_bytes", 16)
                .put("java", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"))
                .put("java_home", System.getProperty("java.home"));
        time(r, "", alg, iterations, provider, c);
        if (c.alsoJdk() && provider != null) {
            time(r, "jdk_", alg, iterations, null, c);
        }
        return r;
    }

    /** Keycloak's BouncyCastle provider, from the jar Keycloak loads it from. */
    private static Provider bouncyCastle(String jar) throws Exception {
        URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(jar).toUri().toURL()}, HashCost.class.getClassLoader());
        return (Provider) Class.forName("org.bouncycastle.jce.provider.BouncyCastleProvider", true, loader)
                .getDeclaredConstructor().newInstance();
    }

    private static void time(Report r, String prefix, Algorithm alg, int iterations, Provider provider, Config c)
            throws Exception {
        char[] password = "cold-20261203T000000Z-1-1".toCharArray();

        // Warm-up on every thread, so the HMAC loop is compiled (C2) before anything is
        // counted: a time and a count, as a loaded machine may hash only a few times in the time.
        Result warm = measure(alg, iterations, provider, password, c.threads(), c.warmupSeconds(), WARMUP_HASHES * c.threads());
        Result single = measure(alg, iterations, provider, password, 1, c.seconds(), c.minHashes());
        Result all = measure(alg, iterations, provider, password, c.threads(), c.seconds(), c.minHashes());

        int cores = Runtime.getRuntime().availableProcessors();
        double singleWallMs = single.wallNanos / 1e6 / single.hashes;
        // The cost of a hash is the CPU time of the thread that computes it: on a quiet machine that is
        // its wall time too, and on a shared one it does not count the time other processes had the core.
        double costMs = single.cpuNanos < 0 ? singleWallMs : single.cpuNanos / 1e6 / single.hashes;
        r.put(prefix + "provider", provider == null ? SecretKeyFactory.getInstance(alg.jdk()).getProvider().toString()
                        : provider.toString())
                .put(prefix + "cores", cores)
                .put(prefix + "threads", c.threads())
                .put(prefix + "warmup_hashes", warm.hashes)
                .put(prefix + "ms_per_hash", ms(costMs))
                .put(prefix + "cost_basis", single.cpuNanos < 0 ? "wall" : "thread cpu")
                .put(prefix + "single_hashes", single.hashes)
                .put(prefix + "single_wall_ms_per_hash", ms(singleWallMs))
                .put(prefix + "single_hashes_per_s", ms(single.hashes * 1e9 / single.wallNanos))
                .put(prefix + "all_hashes", all.hashes)
                .put(prefix + "all_hashes_per_s", ms(all.hashes * 1e9 / all.wallNanos))
                .put(prefix + "all_wall_ms_per_hash", ms(all.wallNanos / 1e6 * c.threads() / all.hashes))
                .put(prefix + "all_cpu_ms_per_hash", all.cpuNanos < 0 ? "-" : ms(all.cpuNanos / 1e6 / all.hashes))
                // What a server that did nothing but hash could verify per second on this machine's cores.
                .put(prefix + "ceiling_per_s", ms(cores * 1000.0 / costMs));
    }

    private record Result(long hashes, long wallNanos, long cpuNanos) {
    }

    private static Result measure(Algorithm alg, int iterations, Provider provider, char[] password, int threads, double seconds,
                                  int minHashes) throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        AtomicLong hashes = new AtomicLong();
        AtomicLong cpu = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        boolean cpuTime = mx.isCurrentThreadCpuTimeSupported();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    SecureRandom random = new SecureRandom();
                    byte[] salt = new byte[16];
                    start.await();
                    long cpu0 = cpuTime ? mx.getCurrentThreadCpuTime() : 0;
                    long n = 0;
                    // Each thread goes on until the deadline and its share of the minimum count.
                    while (System.nanoTime() < deadline || n * threads < minHashes) {
                        random.nextBytes(salt);
                        hash(alg, iterations, provider, password, salt);
                        n++;
                    }
                    hashes.addAndGet(n);
                    if (cpuTime) {
                        cpu.addAndGet(mx.getCurrentThreadCpuTime() - cpu0);
                    }
                } catch (Throwable e) {
                    failure[0] = e;
                }
            }, "hash-" + t);
            workers.add(w);
            w.start();
        }
        long t0 = System.nanoTime();
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        long wall = System.nanoTime() - t0;
        if (failure[0] != null) {
            throw new IllegalStateException("hashing failed", failure[0]);
        }
        return new Result(hashes.get(), wall, cpuTime ? cpu.get() : -1);
    }

    /** As Keycloak's Pbkdf2PasswordHashProvider.encodedCredential, minus the (default 0) padding. */
    private static byte[] hash(Algorithm alg, int iterations, Provider provider, char[] password, byte[] salt)
            throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, alg.keyBits());
        try {
            SecretKeyFactory factory = provider == null ? SecretKeyFactory.getInstance(alg.jdk())
                    : SecretKeyFactory.getInstance(alg.jdk(), provider);
            return factory.generateSecret(spec).getEncoded();
        } finally {
            spec.clearPassword();
        }
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
