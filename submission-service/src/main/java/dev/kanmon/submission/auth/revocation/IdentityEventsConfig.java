package dev.kanmon.submission.auth.revocation;

import dev.kanmon.core.queue.Topics;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The identity changes that end open SMTP sessions: every instance reads Keycloak's {@code relay.identity.v1} (the
 * Kanmon extension's event listener) and refuses the next MAIL of the sessions of a user that was disabled, deleted
 * or had its credentials changed (docs/authentication.md, "Open sessions").
 */
@ConfigMapping(prefix = "kanmon.submission.identity-events")
public interface IdentityEventsConfig {

    /**
     * Whether identity changes end open sessions. Off: a disabled user's open session keeps sending until it ends
     * (the next AUTH is refused either way, by the auth-service), and no Kafka consumer is started.
     */
    @WithDefault("true")
    boolean enabled();

    /** Kafka bootstrap servers of {@link #topic()}; by default those of the queue ({@code queue.bootstrap-servers}). */
    @WithDefault("${kanmon.submission.queue.bootstrap-servers:${kafka.bootstrap.servers:localhost:9092}}")
    String bootstrapServers();

    /** Topic of the Keycloak extension's identity changes (key: Keycloak user id, value: JSON). */
    @WithDefault(Topics.IDENTITY)
    String topic();
}
