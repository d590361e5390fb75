package dev.kanmon.auth.abuse;

import dev.kanmon.core.abuse.AbuseTopics;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

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

    /**
     * A success of the same user from the same address (and as listed or not by the DNSBL) within this interval of
     * the last one published is not published again, unless wrong credentials for the user came in between; {@code 0S}
     * publishes every login.
     */
    @WithDefault("60S")
    Duration repeatInterval();

    /** Most observations waiting to be handed to the Kafka producer; beyond it they are dropped and counted. */
    @WithDefault("10000")
    int backlog();
}
