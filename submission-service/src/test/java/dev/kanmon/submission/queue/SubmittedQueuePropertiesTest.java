package dev.kanmon.submission.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The producer is built from the {@code default-kafka-broker} map (the {@code kafka.*} properties) plus its own. */
class SubmittedQueuePropertiesTest {

    private static QueueConfig config(Map<String, String> values) {
        SmallRyeConfig c = new SmallRyeConfigBuilder()
                .withMapping(QueueConfig.class)
                // Quarkus's form of durations ("30s", "1ms"), as in application.properties
                .withConverter(Duration.class, 100, new DurationConverter())
                .withDefaultValues(values)
                .build();
        return c.getConfigMapping(QueueConfig.class);
    }

    /** What Quarkus puts in the map in k8s (kanmon-kafka-client ConfigMap, the KafkaUser's Secret). */
    private static final Map<String, Object> K8S_BROKER = Map.of(
            "bootstrap.servers", "kanmon-kafka-bootstrap:9093",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                    + "username=\"submission-service\" password=\"secret\";",
            "ssl.truststore.type", "PEM",
            "ssl.truststore.location", "/etc/kanmon/kafka-ca/ca.crt",
            "group.id", "submission-service");

    @Test
    void securitySettingsOfTheBrokerMapReachTheProducer() {
        Map<String, Object> p = SubmittedQueue.producerProperties(K8S_BROKER,
                config(Map.of("kanmon.submission.queue.bootstrap-servers", "kanmon-kafka-bootstrap:9093")));

        assertThat(p).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", K8S_BROKER.get("sasl.jaas.config"))
                .containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("ssl.truststore.location", "/etc/kanmon/kafka-ca/ca.crt")
                .containsEntry("bootstrap.servers", "kanmon-kafka-bootstrap:9093")
                // a producer has no consumer group (no "unknown config" warning)
                .doesNotContainKey("group.id");
    }

    @Test
    void ownSettingsWinOverTheBrokerMap() {
        Map<String, Object> p = SubmittedQueue.producerProperties(
                Map.of("bootstrap.servers", "elsewhere:9092", "acks", "1", "enable.idempotence", "false"),
                config(Map.of("kanmon.submission.queue.bootstrap-servers", "127.0.0.1:19092")));

        assertThat(p).containsEntry("bootstrap.servers", "127.0.0.1:19092")
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", true);
    }

    @Test
    void localStackStaysPlaintext() {
        // %local: no kafka.* security property, only the queue's own bootstrap address
        Map<String, Object> p = SubmittedQueue.producerProperties(Map.of("group.id", "submission-service"),
                config(Map.of("kanmon.submission.queue.bootstrap-servers", "127.0.0.1:19092")));

        assertThat(p).containsEntry("bootstrap.servers", "127.0.0.1:19092")
                .doesNotContainKeys("security.protocol", "sasl.mechanism", "sasl.jaas.config", "group.id");
    }
}
