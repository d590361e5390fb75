package dev.kanmon.submission.tls;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The certificate chains and keys as they are on disk: one pair per key type (RSA, ECDSA). Compared by content,
 * so a renewed certificate is noticed whatever happened to the files' times (a Kubernetes secret volume swaps
 * a symlink).
 */
record TlsMaterial(List<Buffer> certs, List<Buffer> keys) {

    /** A certificate chain file and its key file. */
    record Pair(Path cert, Path key) {
    }

    static TlsMaterial read(List<Pair> pairs) {
        List<Buffer> certs = new ArrayList<>(pairs.size());
        List<Buffer> keys = new ArrayList<>(pairs.size());
        for (Pair p : pairs) {
            certs.add(read(p.cert()));
            keys.add(read(p.key()));
        }
        return new TlsMaterial(List.copyOf(certs), List.copyOf(keys));
    }

    private static Buffer read(Path file) {
        try {
            return Buffer.buffer(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
