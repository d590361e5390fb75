package dev.kanmon.keycloak.hash;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.keycloak.common.util.PaddingUtils;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.models.PasswordPolicy;
import org.keycloak.models.credential.PasswordCredentialModel;

/**
 * Keycloak's {@code pbkdf2-sha256} hash, bit for bit (same algorithm id, salt size, derived key size, padding, stored
 * format), computed with the JDK's {@code PBKDF2WithHmacSHA256} instead of BouncyCastle's. Keycloak's default crypto
 * provider asks BouncyCastle by name, whose SHA-256 is plain Java; the JDK's uses the CPU's SHA instructions and is
 * about three times faster here (docs/benchmarks.md, "Password hash cost"). The work factor is the realm's
 * iterations either way: an attacker's cost does not change, only the relay's.
 */
final class JdkPbkdf2PasswordHashProvider implements PasswordHashProvider {

    static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String providerId;
    private final int defaultIterations;
    private final int maxPaddingLength;
    private final int derivedKeySize;

    JdkPbkdf2PasswordHashProvider(String providerId, int defaultIterations, int maxPaddingLength, int derivedKeySize) {
        this.providerId = providerId;
        this.defaultIterations = defaultIterations;
        this.maxPaddingLength = maxPaddingLength;
        this.derivedKeySize = derivedKeySize;
    }

    @Override
    public boolean policyCheck(PasswordPolicy policy, PasswordCredentialModel credential) {
        int iterations = policy == null ? -1 : policy.getHashIterations();
        if (iterations == -1) {
            iterations = defaultIterations;
        }
        return credential.getPasswordCredentialData().getHashIterations() == iterations
                && providerId.equals(credential.getPasswordCredentialData().getAlgorithm())
                && derivedKeySize == keySize(credential);
    }

    @Override
    public PasswordCredentialModel encodedCredential(String rawPassword, int iterations) {
        int n = iterations == -1 ? defaultIterations : iterations;
        byte[] salt = salt();
        return PasswordCredentialModel.createFromValues(providerId, salt, n,
                Base64.getEncoder().encodeToString(derive(rawPassword, n, salt, derivedKeySize)));
    }

    @Override
    public String encode(String rawPassword, int iterations) {
        int n = iterations == -1 ? defaultIterations : iterations;
        return Base64.getEncoder().encodeToString(derive(rawPassword, n, salt(), derivedKeySize));
    }

    @Override
    public boolean verify(String rawPassword, PasswordCredentialModel credential) {
        byte[] stored = Base64.getDecoder().decode(credential.getPasswordSecretData().getValue());
        byte[] computed = derive(rawPassword, credential.getPasswordCredentialData().getHashIterations(),
                credential.getPasswordSecretData().getSalt(), stored.length * 8);
        return MessageDigest.isEqual(computed, stored);
    }

    @Override
    public void close() {
    }

    private int keySize(PasswordCredentialModel credential) {
        return Base64.getDecoder().decode(credential.getPasswordSecretData().getValue()).length * 8;
    }

    private byte[] derive(String rawPassword, int iterations, byte[] salt, int keyBits) {
        PBEKeySpec spec = new PBEKeySpec(PaddingUtils.padding(rawPassword, maxPaddingLength).toCharArray(), salt,
                iterations, keyBits);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + ALGORITHM, e);
        } finally {
            spec.clearPassword();
        }
    }

    private static byte[] salt() {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return salt;
    }
}
