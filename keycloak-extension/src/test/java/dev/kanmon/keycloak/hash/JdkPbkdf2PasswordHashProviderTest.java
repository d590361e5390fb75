package dev.kanmon.keycloak.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.models.credential.PasswordCredentialModel;

class JdkPbkdf2PasswordHashProviderTest {

    /**
     * Made by Keycloak 26.4.7's own pbkdf2-sha256 provider (BouncyCastle): {@code new Pbkdf2PasswordHashProvider(
     * "pbkdf2-sha256", "PBKDF2WithHmacSHA256", 600000, 0, 256).encodedCredential("kanmon-vector", 27500)}.
     */
    private static final PasswordCredentialModel KEYCLOAK_MADE = PasswordCredentialModel.createFromValues(
            "pbkdf2-sha256", Base64.getDecoder().decode("QpiC8VxRBchQHhUWwNsBGw=="), 27_500,
            "xcFroSKMUaAGi33U/8hNqe7D6L1LE8/KMpfKlgSymf4=");
    /** Same, {@code encodedCredential("short", 1000)}: a password below any padding length. */
    private static final PasswordCredentialModel KEYCLOAK_MADE_SHORT = PasswordCredentialModel.createFromValues(
            "pbkdf2-sha256", Base64.getDecoder().decode("P62NMRIGOYbX+IvnnRTZ0Q=="), 1_000,
            "K1FXZs0xiT6UN1AR5ToEkPXuv17QOpp5g3+65N6NYxE=");

    private final PasswordHashProvider provider = new JdkPbkdf2Sha256PasswordHashProviderFactory().create(null);

    @Test
    void verifiesWhatKeycloaksOwnProviderStored() {
        assertThat(provider.verify("kanmon-vector", KEYCLOAK_MADE)).isTrue();
        assertThat(provider.verify("kanmon-vectoR", KEYCLOAK_MADE)).isFalse();
        assertThat(provider.verify("short", KEYCLOAK_MADE_SHORT)).isTrue();
        assertThat(provider.verify("shorter", KEYCLOAK_MADE_SHORT)).isFalse();
    }

    @Test
    void storesInKeycloaksFormatAndHonoursThePolicysIterations() {
        PasswordCredentialModel made = provider.encodedCredential("a new password", 27_500);
        assertThat(made.getPasswordCredentialData().getAlgorithm()).isEqualTo("pbkdf2-sha256");
        assertThat(made.getPasswordCredentialData().getHashIterations()).isEqualTo(27_500);
        assertThat(made.getPasswordSecretData().getSalt()).hasSize(16);
        assertThat(Base64.getDecoder().decode(made.getPasswordSecretData().getValue())).hasSize(32);
        assertThat(provider.verify("a new password", made)).isTrue();
        assertThat(provider.policyCheck(null, made)).as("600,000 is Keycloak's default").isFalse();
        assertThat(provider.encodedCredential("x", -1).getPasswordCredentialData().getHashIterations())
                .isEqualTo(600_000);
    }
}
