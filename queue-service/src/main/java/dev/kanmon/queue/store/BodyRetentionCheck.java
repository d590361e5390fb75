package dev.kanmon.queue.store;

import dev.kanmon.queue.config.QueueConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.jboss.logging.Logger;

/**
 * Warns at start-up when the submitted topic would delete records the queue may still need: message bodies live
 * only there ({@link BodyStore}), and the last retry of a message can come {@code max-backoff} after
 * {@code max-lifetime}, followed by its failure DSN. Asynchronous and advisory: an unreachable Kafka delays nothing.
 */
@ApplicationScoped
class BodyRetentionCheck {

    private static final Logger LOG = Logger.getLogger(BodyRetentionCheck.class);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @Inject
    QueueConfig config;

    void onStart(@Observes StartupEvent event) {
        String topic = config.topics().submitted();
        Duration needed = config.retry().maxLifetime().plus(config.retry().maxBackoff());
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Admin admin = Admin.create(kafka);
        // async: the callback must not close the client on its own network thread
        admin.describeConfigs(List.of(resource)).all().toCompletionStage().whenCompleteAsync((configs, failure) -> {
            admin.close(Duration.ZERO);
            if (failure != null) {
                LOG.debugf("retention of %s not checked: %s", topic, failure.toString());
                return;
            }
            Config c = configs.get(resource);
            ConfigEntry retention = c == null ? null : c.get(TopicConfig.RETENTION_MS_CONFIG);
            long ms = retention == null || retention.value() == null ? -1 : Long.parseLong(retention.value());
            if (ms >= 0 && ms < needed.toMillis()) {
                LOG.warnf("%s keeps records %s, less than max-lifetime + max-backoff (%s): bodies of messages still"
                        + " retried or owed a DSN may be gone (docs/queue.md)", topic, Duration.ofMillis(ms), needed);
            }
        });
    }
}
