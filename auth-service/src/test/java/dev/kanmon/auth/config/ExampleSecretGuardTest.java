package dev.kanmon.auth.config;

import static dev.kanmon.auth.config.ExampleSecretGuard.CLIENT_SECRET;
import static dev.kanmon.auth.config.ExampleSecretGuard.ENCRYPTION_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The start-up refusal of published example secrets, without Quarkus. */
class ExampleSecretGuardTest {

    private static final String EXAMPLE_KEY = "Y2hhbmdlLW1lLmthbm1vbi5wbGFjZWhvbGRlci5rZXk=";
    private static final String OWN_KEY = Base64.getEncoder()
            .encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    private static Map<String, Optional<String>> config(String key, String clientSecret) {
        return Map.of(ENCRYPTION_KEY, Optional.ofNullable(key), CLIENT_SECRET, Optional.ofNullable(clientSecret));
    }

    @Test
    void prodRefusesThePublishedKey() {
        List<String> problems = ExampleSecretGuard.problems(List.of("prod"), config(EXAMPLE_KEY, "s3cr3t-from-vault"));
        assertThat(problems).singleElement().asString()
                .contains("refusing to start", ENCRYPTION_KEY, "KANMON_AUTH_APP_PASSWORDS_ENCRYPTION_KEY", "openssl rand");
    }

    @Test
    void prodRefusesTheLocalStackKeyAndTheExampleClientSecret() {
        List<String> problems = ExampleSecretGuard.problems(List.of("prod"),
                config("a2FubW9uLWxvY2FsLXN0YWNrLWNyYW0tbWQ1LWtleSE=", "change-me"));
        assertThat(problems).hasSize(2);
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("KANMON_AUTH_KEYCLOAK_CLIENT_SECRET"));
    }

    @Test
    void aReencodingOfThePublishedKeyIsStillThePublishedKey() {
        String mime = EXAMPLE_KEY.substring(0, 20) + "\r\n" + EXAMPLE_KEY.substring(20);
        assertThat(ExampleSecretGuard.problems(List.of("prod"), config(mime, null))).hasSize(1);
    }

    @Test
    void ownSecretsStart() {
        assertThat(ExampleSecretGuard.problems(List.of("prod"), config(OWN_KEY, "s3cr3t-from-vault"))).isEmpty();
    }

    @Test
    void noKeyAtAllStarts() {
        // without a key CRAM-MD5 is merely unavailable for new app passwords
        assertThat(ExampleSecretGuard.problems(List.of("prod"), config(null, "s3cr3t-from-vault"))).isEmpty();
    }

    @Test
    void localTestAndDevProfilesMayUseTheExamples() {
        for (String profile : List.of("local", "test", "dev", "kanmon-dev")) {
            assertThat(ExampleSecretGuard.problems(List.of(profile, "prod"), config(EXAMPLE_KEY, "change-me")))
                    .as(profile).isEmpty();
        }
    }
}
