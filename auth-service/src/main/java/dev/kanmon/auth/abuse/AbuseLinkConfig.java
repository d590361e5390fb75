package dev.kanmon.auth.abuse;

import dev.kanmon.core.abuse.AbuseTopics;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The auth-service's part of the abuse automation (docs/abuse.md): it publishes its login observations and applies
 * the slow-downs and suspensions the queue-service decides.
 */
@ConfigMapping(prefix = "kanmon.auth.abuse")
public interface AbuseLinkConfig {

    /** Whether login observations are published and decisions applied. */
    @WithDefault("true")
    boolean enabled();

    /** Kafka bootstrap servers (the connection's security comes from the {@code kafka.*} properties). */
    @WithDefault("kanmon-kafka-bootstrap:9092")
    String bootstrapServers();

    /** Topic the login observations are published on. */
    @WithDefault(AbuseTopics.LOGINS)
    String loginsTopic();

    /** Topic of the abuse decisions to apply. */
    @WithDefault(AbuseTopics.EVENTS)
    String eventsTopic();

    /** Consumer group applying the decisions (one replica applies each). */
    @WithDefault("auth-service-abuse")
    String group();

    /** Most observations waiting to be handed to the Kafka producer; beyond it they are dropped and counted. */
    @WithDefault("10000")
    int backlog();
}
