package dev.kanmon.keycloak;

import org.keycloak.common.crypto.CryptoIntegration;
import org.keycloak.credential.hash.Pbkdf2PasswordHashProvider;
import org.keycloak.credential.hash.Pbkdf2Sha256PasswordHashProviderFactory;
import org.keycloak.models.credential.PasswordCredentialModel;

/**
 * The bare cost of one password check under the realm's policy, with Keycloak's own hash provider (the work
 * {@code credentialManager().isValid} does besides database and cache look-ups): pbkdf2-sha256 at the realm's
 * 27,500 iterations and at Keycloak's default. Not a test; run by hand (docs/authentication.md has the numbers):
 * {@code java -cp "keycloak-extension/target/test-classes:<the jars of Keycloak's lib/lib/main and lib/lib/boot>"
 * dev.kanmon.keycloak.PasswordHashCost [rounds]}
 */
public final class PasswordHashCost {

    private PasswordHashCost() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        CryptoIntegration.init(PasswordHashCost.class.getClassLoader()); // as the server does at boot
        for (int iterations : new int[] {27_500, Pbkdf2Sha256PasswordHashProviderFactory.DEFAULT_ITERATIONS}) {
            Pbkdf2PasswordHashProvider provider = new Pbkdf2PasswordHashProvider(Pbkdf2Sha256PasswordHashProviderFactory.ID,
                    Pbkdf2Sha256PasswordHashProviderFactory.PBKDF2_ALGORITHM, iterations, 0);
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
            System.out.printf("pbkdf2-sha256 iterations=%d: %.2f ms per verify (one thread), %.1f verifies/s per core%n",
                    iterations, ms, 1000 / ms);
        }
    }
}
