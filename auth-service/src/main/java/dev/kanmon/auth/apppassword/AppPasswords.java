package dev.kanmon.auth.apppassword;

import dev.kanmon.auth.config.AuthConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * SMTP app passwords: creation (random secret shown once) and verification for PLAIN/LOGIN, CRAM-MD5 and
 * SCRAM-SHA-256. PBKDF2 runs on a worker thread, never on the event loop.
 */
@ApplicationScoped
public class AppPasswords {

    private static final Logger LOG = Logger.getLogger(AppPasswords.class);
    /** 32 symbols without look-alikes (no 0/o, 1/l): 5 bits each, 16 of them = 80 bits. */
    private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A fresh app password; {@code secret} exists only in this object and the HTTP response. */
    public record Created(UUID id, String label, String secret) {
    }

    /** A SCRAM proof that matched one app password. */
    public record ScramMatch(UUID id, byte[] serverSignature) {
    }

    /** Salt and iteration count to send in SCRAM's server-first message. */
    public record ScramParameters(byte[] salt, int iterations) {
    }

    /** Why a creation was refused. */
    public static final class LimitReachedException extends RuntimeException {
        LimitReachedException(int max) {
            super("at most " + max + " app passwords per user", null, false, false);
        }
    }

    private final AppPasswordStore store;
    private final SecretBox box;
    private final AuthConfig.AppPasswords config;
    private final SecretKeySpec fakeSaltKey;

    @Inject
    public AppPasswords(AppPasswordStore store, SecretBox box, AuthConfig config) {
        this.store = store;
        this.box = box;
        this.config = config.appPasswords();
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        this.fakeSaltKey = new SecretKeySpec(k, "HmacSHA256");
    }

    public Uni<Created> create(String username, String label) {
        String user = username.toLowerCase(Locale.ROOT);
        String secret = newSecret();
        byte[] newSalt = new byte[16];
        RANDOM.nextBytes(newSalt);
        UUID id = UUID.randomUUID();
        return store.saltFor(user, newSalt, config.iterations())
                .chain(salt -> offload(() -> Scram.verifier(secret, salt.salt(), salt.iterations())))
                .chain(verifier -> store.insert(id, user, label, verifier,
                        box.available() ? box.seal(secret.getBytes(StandardCharsets.US_ASCII)) : null, config.maxPerUser()))
                .map(inserted -> {
                    if (!inserted) {
                        throw new LimitReachedException(config.maxPerUser());
                    }
                    return new Created(id, label, secret);
                });
    }

    /** PLAIN/LOGIN: one PBKDF2 run with the user's salt, compared with every stored key. */
    public Uni<Optional<UUID>> verifyPassword(String username, String password) {
        return store.credentials(username.toLowerCase(Locale.ROOT)).chain(found -> {
            if (found.isEmpty() || found.get().passwords().isEmpty()) {
                return Uni.createFrom().item(Optional.<UUID>empty());
            }
            AppPasswordStore.UserCredentials creds = found.get();
            return offload(() -> Scram.verifier(password, creds.salt(), creds.iterations())).map(candidate -> {
                UUID match = null;
                for (AppPasswordStore.Stored stored : creds.passwords()) {
                    // No early exit: the time taken does not tell which app password matched.
                    if (MessageDigest.isEqual(candidate.storedKey(), stored.verifier().storedKey())) {
                        match = stored.id();
                    }
                }
                return Optional.ofNullable(match);
            });
        }).call(match -> match.map(store::touch).orElse(Uni.createFrom().voidItem()));
    }

    /** CRAM-MD5: recompute the digest with each app password's decrypted key material. */
    public Uni<Optional<UUID>> verifyCramMd5(String username, String challenge, String digest) {
        byte[] expected = digest.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return store.credentials(username.toLowerCase(Locale.ROOT)).map(found -> {
            UUID match = null;
            if (found.isPresent() && box.available()) {
                for (AppPasswordStore.Stored stored : found.get().passwords()) {
                    if (stored.cramSecret() == null) {
                        continue;
                    }
                    byte[] secret = null;
                    try {
                        secret = box.open(stored.cramSecret());
                        byte[] actual = CramMd5.digest(secret, challenge).getBytes(StandardCharsets.US_ASCII);
                        if (MessageDigest.isEqual(actual, expected)) {
                            match = stored.id();
                        }
                    } catch (GeneralSecurityException e) {
                        // Encrypted under another key (rotated without re-issue): unusable, not a server error.
                        LOG.warnf("CRAM-MD5 material of app password %s cannot be decrypted", stored.id());
                    } finally {
                        if (secret != null) {
                            Arrays.fill(secret, (byte) 0);
                        }
                    }
                }
            }
            return Optional.ofNullable(match);
        }).call(match -> match.map(store::touch).orElse(Uni.createFrom().voidItem()));
    }

    /**
     * The user's salt and iterations. For a user without app passwords a stable-per-instance fake salt is returned, so
     * the answer does not tell whether the user exists; the proof then simply fails.
     */
    public Uni<ScramParameters> scramParameters(String username) {
        String user = username.toLowerCase(Locale.ROOT);
        return store.credentials(user).map(found -> found
                .map(c -> new ScramParameters(c.salt(), c.iterations()))
                .orElseGet(() -> new ScramParameters(fakeSalt(user), config.iterations())));
    }

    /** SCRAM: checks the ClientProof against each app password's StoredKey. */
    public Uni<Optional<ScramMatch>> verifyScram(String username, String authMessage, byte[] proof) {
        return store.credentials(username.toLowerCase(Locale.ROOT)).map(found -> {
            ScramMatch match = null;
            if (found.isPresent()) {
                for (AppPasswordStore.Stored stored : found.get().passwords()) {
                    byte[] signature = Scram.verifyProof(stored.verifier(), authMessage, proof);
                    if (signature != null) {
                        match = new ScramMatch(stored.id(), signature);
                    }
                }
            }
            return Optional.ofNullable(match);
        }).call(match -> match.map(m -> store.touch(m.id())).orElse(Uni.createFrom().voidItem()));
    }

    private byte[] fakeSalt(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(fakeSaltKey);
            return Arrays.copyOf(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)), 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String newSecret() {
        StringBuilder sb = new StringBuilder(19);
        for (int i = 0; i < 16; i++) {
            if (i > 0 && i % 4 == 0) {
                sb.append('-');
            }
            sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }

    private static <T> Uni<T> offload(Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
