package dev.kanmon.auth.config;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.SmallRyeConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.Config;

/**
 * Refuses to start the auth-service with a secret whose value is published in this repository: the example
 * AES key of app passwords' CRAM-MD5 material and the example Keycloak client secret of the k8s/ development
 * overlay, and the local stack's values in application.properties. Anyone can read them, so a deployment that
 * kept one would encrypt with a public key (or let anyone act as the {@code smtp-submission} service account).
 * Allowed only when an active profile is {@code local} or {@code test} (the loopback stack and its tests),
 * {@code dev} (Quarkus dev mode) or {@code kanmon-dev} (k8s/overlays/dev, which runs {@code prod,kanmon-dev}).
 * docs/operations.md, "Secrets".
 */
@Singleton
public final class ExampleSecretGuard {

    static final String ENCRYPTION_KEY = "kanmon.auth.app-passwords.encryption-key";
    static final String CLIENT_SECRET = "kanmon.auth.keycloak.client-secret";

    /** Profiles in which the published values are expected. */
    static final Set<String> EXAMPLE_PROFILES = Set.of("local", "test", "dev", "kanmon-dev");

    /** Each property with the values of it that this repository publishes. */
    static final Map<String, List<String>> PUBLISHED = Map.of(
            // k8s/overlays/dev (decodes to "change-me.kanmon.placeholder.key") and application.properties' %local
            ENCRYPTION_KEY, List.of("Y2hhbmdlLW1lLmthbm1vbi5wbGFjZWhvbGRlci5rZXk=",
                    "a2FubW9uLWxvY2FsLXN0YWNrLWNyYW0tbWQ1LWtleSE="),
            // k8s/overlays/dev and the local realm (bin/stack/keycloak/kanmon-realm.json)
            CLIENT_SECRET, List.of("change-me", "smtp-submission-secret"));

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, Config config) {
        List<String> profiles = config.unwrap(SmallRyeConfig.class).getProfiles();
        Map<String, Optional<String>> values = Map.of(
                ENCRYPTION_KEY, config.getOptionalValue(ENCRYPTION_KEY, String.class),
                CLIENT_SECRET, config.getOptionalValue(CLIENT_SECRET, String.class));
        List<String> problems = problems(profiles, values);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
    }

    /** One message per configured secret that equals a published example, unless an example profile is active. */
    static List<String> problems(Collection<String> profiles, Map<String, Optional<String>> values) {
        List<String> problems = new ArrayList<>();
        if (profiles.stream().anyMatch(EXAMPLE_PROFILES::contains)) {
            return problems;
        }
        for (Map.Entry<String, List<String>> e : PUBLISHED.entrySet()) {
            Optional<String> value = values.getOrDefault(e.getKey(), Optional.empty());
            if (value.isPresent() && e.getValue().stream().anyMatch(p -> same(e.getKey(), p, value.get()))) {
                String env = e.getKey().toUpperCase().replaceAll("[^A-Z0-9]", "_");
                problems.add("refusing to start: " + e.getKey() + " (" + env + ") is the example value published in"
                        + " the Kanmon repository; set a secret of your own"
                        + (e.getKey().equals(ENCRYPTION_KEY) ? " (openssl rand -base64 32)" : "")
                        + " (docs/operations.md, \"Secrets\"); the examples are accepted only with a profile local,"
                        + " test, dev or kanmon-dev; active profiles: " + profiles);
            }
        }
        return problems;
    }

    /** Keys are compared by the bytes they decode to, so that a re-encoding of a published key is caught too. */
    private static boolean same(String property, String published, String configured) {
        if (published.equals(configured.strip())) {
            return true;
        }
        if (!property.equals(ENCRYPTION_KEY)) {
            return false;
        }
        try {
            return Arrays.equals(Base64.getMimeDecoder().decode(published),
                    Base64.getMimeDecoder().decode(configured.strip()));
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }
}
