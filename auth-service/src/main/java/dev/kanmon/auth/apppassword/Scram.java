package dev.kanmon.auth.apppassword;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** SCRAM-SHA-256 arithmetic (RFC 5802 §3, RFC 7677). App passwords are ASCII, so SASLprep leaves them unchanged. */
public final class Scram {

    /** What the server stores instead of the password. */
    public record Verifier(byte[] storedKey, byte[] serverKey) {
    }

    private Scram() {
    }

    /** Hi(): PBKDF2 with HMAC-SHA-256 and a 32-byte output. */
    static byte[] saltedPassword(String password, byte[] salt, int iterations) {
        byte[] key = password.getBytes(StandardCharsets.UTF_8);
        byte[] block = new byte[salt.length + 4];
        System.arraycopy(salt, 0, block, 0, salt.length);
        block[block.length - 1] = 1;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
            byte[] u = mac.doFinal(block);
            byte[] result = u.clone();
            for (int i = 1; i < iterations; i++) {
                u = mac.doFinal(u);
                for (int j = 0; j < result.length; j++) {
                    result[j] ^= u[j];
                }
            }
            return result;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Verifier verifier(String password, byte[] salt, int iterations) {
        byte[] salted = saltedPassword(password, salt, iterations);
        byte[] clientKey = hmac(salted, "Client Key");
        return new Verifier(sha256(clientKey), hmac(salted, "Server Key"));
    }

    /**
     * Checks a ClientProof: ClientKey = proof XOR HMAC(StoredKey, AuthMessage) must hash to StoredKey.
     *
     * @return the ServerSignature to send back, or null if the proof is wrong
     */
    public static byte[] verifyProof(Verifier verifier, String authMessage, byte[] proof) {
        byte[] signature = hmac(verifier.storedKey(), authMessage);
        if (proof.length != signature.length) {
            return null;
        }
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ signature[i]);
        }
        if (!MessageDigest.isEqual(sha256(clientKey), verifier.storedKey())) {
            return null;
        }
        return hmac(verifier.serverKey(), authMessage);
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
