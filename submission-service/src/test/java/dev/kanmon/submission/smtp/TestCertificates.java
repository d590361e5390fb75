package dev.kanmon.submission.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Server certificates issued by the local stack's CA with OpenSSL (as bin/kanmon-stack makes them), laid out as a
 * Kubernetes secret volume: the files are links through {@code ..data}, and a new version is swapped in by
 * flipping that one link.
 */
final class TestCertificates {

    private static final Path STACK_TLS = Path.of(System.getenv().getOrDefault("KANMON_STACK", "../.local-stack"), "tls");
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestCertificates() {
    }

    /** A secret volume at {@code dir} holding the local stack's own RSA certificate; replaces what was there. */
    static void mountStackCertificate(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        Path version = Files.createDirectory(dir.resolve("..initial"));
        Files.copy(STACK_TLS.resolve("server.crt"), version.resolve("tls.crt"));
        Files.copy(STACK_TLS.resolve("server.key"), version.resolve("tls.key"));
        Files.createSymbolicLink(dir.resolve("..data"), version.getFileName());
        Files.createSymbolicLink(dir.resolve("tls.crt"), Path.of("..data", "tls.crt"));
        Files.createSymbolicLink(dir.resolve("tls.key"), Path.of("..data", "tls.key"));
    }

    /** Swaps a new version of the secret in with one atomic rename of {@code ..data}, as the kubelet does. */
    static void swap(Path dir, byte[] cert, byte[] key) throws IOException {
        Path version = Files.createTempDirectory(dir, "..v");
        Files.write(version.resolve("tls.crt"), cert);
        Files.write(version.resolve("tls.key"), key);
        Path link = Files.createSymbolicLink(dir.resolve("..data_tmp"), version.getFileName());
        Files.move(link, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A new RSA certificate for localhost from the local stack CA, with a random serial: {cert PEM, key PEM}. */
    static byte[][] issueRsa() throws Exception {
        Path work = Files.createTempDirectory("kanmon-cert");
        try {
            String serial = "0x" + new BigInteger(64, RANDOM).toString(16);
            run(work, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-sha256", "-keyout", "tls.key", "-out",
                    "tls.csr", "-subj", "/O=Kanmon reload test/CN=relay.kanmon.test");
            Files.writeString(work.resolve("tls.ext"), "subjectAltName=DNS:relay.kanmon.test,DNS:localhost,"
                    + "IP:127.0.0.1\nextendedKeyUsage=serverAuth\n", StandardCharsets.US_ASCII);
            run(work, "openssl", "x509", "-req", "-in", "tls.csr", "-CA", STACK_TLS.resolve("ca.crt").toAbsolutePath()
                    .toString(), "-CAkey", STACK_TLS.resolve("ca.key").toAbsolutePath().toString(), "-set_serial",
                    serial, "-sha256", "-days", "2", "-extfile", "tls.ext", "-out", "tls.crt");
            return new byte[][] {Files.readAllBytes(work.resolve("tls.crt")), Files.readAllBytes(work.resolve("tls.key"))};
        } finally {
            try (var files = Files.list(work)) {
                files.forEach(p -> p.toFile().delete());
            }
            Files.delete(work);
        }
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), out).isZero();
    }
}
