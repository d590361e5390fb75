package dev.kanmon.keycloak;

import org.keycloak.common.crypto.CryptoIntegration;
import dev.kanmon.keycloak.hash.JdkPbkdf2Sha256PasswordHashProviderFactory;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.credential.hash.Pbkdf2PasswordHashProvider;
import org.keycloak.credential.hash.Pbkdf2Sha256PasswordHashProviderFactory;
import org.keycloak.models.credential.PasswordCredentialModel;

/**
 * The bare cost of one password check under the realm's policy (the work {@code credentialManager().isValid} does
 * besides database and cache look-ups): pbkdf2-sha256 with the realm's 256-bit key, at the realm's 27,500 iterations
 * and at Keycloak's default, computed by Keycloak's own provider (BouncyCastle) and by the Kanmon extension's (the
 * JDK's PBKDF2). Not a test; run by hand (docs/authentication.md has the numbers; bench/run.sh times the same):
 * {@code java -cp "keycloak-extension/target/classes:keycloak-extension/target/test-classes:<the jars of Keycloak's
 * lib/lib/main (without the fips ones) and lib/lib/boot>" dev.kanmon.keycloak.PasswordHashCost [rounds]}
 */
public final class PasswordHashCost {

    private PasswordHashCost() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        CryptoIntegration.init(PasswordHashCost.class.getClassLoader()); // as the server does at boot
        for (int iterations : new int[] {27_500, Pbkdf2Sha256PasswordHashProviderFactory.DEFAULT_ITERATIONS}) {
            time("keycloak (BouncyCastle)", new Pbkdf2PasswordHashProvider(Pbkdf2Sha256PasswordHashProviderFactory.ID,
                    Pbkdf2Sha256PasswordHashProviderFactory.PBKDF2_ALGORITHM, iterations, 0, 256), iterations, rounds);
            time("kanmon (JDK)", new JdkPbkdf2Sha256PasswordHashProviderFactory().create(null), iterations, rounds);
        }
    }

    private static void time(String name, PasswordHashProvider provider, int iterations, int rounds) {
        PasswordCredentialModel stored = provider.encodedCredential("pw-benchmark", iterations);
        for (int i = 0; i < 5; i++) {
            provider.verify("pw-benchmark", stored); // warm-up (JIT)
        }
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            if (!provider.verify("pw-benchmark", stored)) {
                throw new IllegalStateException("verify failed");
            }
        }
        double ms = (System.nanoTime() - start) / 1e6 / rounds;
        System.out.printf("%s pbkdf2-sha256 iterations=%d: %.2f ms per verify (one thread), %.1f verifies/s per core%n",
                name, iterations, ms, 1000 / ms);
    }
}
