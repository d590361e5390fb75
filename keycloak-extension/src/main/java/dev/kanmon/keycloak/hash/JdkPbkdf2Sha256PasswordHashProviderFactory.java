package dev.kanmon.keycloak.hash;

import org.keycloak.credential.hash.AbstractPbkdf2PasswordHashProviderFactory;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.credential.hash.Pbkdf2Sha256PasswordHashProviderFactory;
import org.keycloak.models.KeycloakSession;

/**
 * Takes the place of Keycloak's own {@code pbkdf2-sha256} factory (same id, higher {@link #order()}), so existing
 * credentials verify unchanged and new ones are stored exactly as Keycloak stores them; only the implementation of
 * PBKDF2 differs ({@link JdkPbkdf2PasswordHashProvider}). The realm's password policy still names the hash and its
 * iterations. Configured like Keycloak's ({@code spi-password-hashing-pbkdf2-sha256-max-padding-length}).
 */
public final class JdkPbkdf2Sha256PasswordHashProviderFactory extends AbstractPbkdf2PasswordHashProviderFactory {

    /** Keycloak's derived key size for pbkdf2-sha256, in bits. */
    static final int DERIVED_KEY_SIZE = 256;

    @Override
    public PasswordHashProvider create(KeycloakSession session) {
        return new JdkPbkdf2PasswordHashProvider(Pbkdf2Sha256PasswordHashProviderFactory.ID,
                Pbkdf2Sha256PasswordHashProviderFactory.DEFAULT_ITERATIONS, getMaxPaddingLength(), DERIVED_KEY_SIZE);
    }

    @Override
    public String getId() {
        return Pbkdf2Sha256PasswordHashProviderFactory.ID;
    }

    /** Above Keycloak's own factory (100): the provider manager keeps the higher order of two with one id. */
    @Override
    public int order() {
        return 200;
    }
}
