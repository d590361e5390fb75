package dev.kanmon.auth.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The consumer is built from the {@code default-kafka-broker} map (the {@code kafka.*} properties) plus its own. */
class IdentityEventConsumerPropertiesTest {

    /** What Quarkus puts in the map in k8s (kanmon-kafka-client ConfigMap, the KafkaUser's Secret). */
    private static final Map<String, Object> K8S_BROKER = Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                    + "username=\"auth-service\" password=\"secret\";",
            "ssl.truststore.type", "PEM",
            "ssl.truststore.location", "/etc/kanmon/kafka-ca/ca.crt",
            // Quarkus's default: the application name
            "group.id", "auth-service",
            "auto.offset.reset", "earliest",
            "enable.auto.commit", "true");

    @Test
    void securitySettingsOfTheBrokerMapReachTheConsumer() {
        Map<String, Object> p = IdentityEventConsumer.consumerProperties(K8S_BROKER, "kanmon-kafka-bootstrap:9093");

        assertThat(p).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", K8S_BROKER.get("sasl.jaas.config"))
                .containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("ssl.truststore.location", "/etc/kanmon/kafka-ca/ca.crt")
                .containsEntry("bootstrap.servers", "kanmon-kafka-bootstrap:9093");
    }

    @Test
    void ownGroupAndOffsetsWinOverTheBrokerMap() {
        Map<String, Object> first = IdentityEventConsumer.consumerProperties(K8S_BROKER, "b:9093");
        Map<String, Object> second = IdentityEventConsumer.consumerProperties(K8S_BROKER, "b:9093");

        // every instance its own group, within the prefix the KafkaUser auth-service may read
        assertThat((String) first.get("group.id")).startsWith("auth-service-identity-");
        assertThat(first.get("group.id")).isNotEqualTo(second.get("group.id"));
        assertThat(first).containsEntry("auto.offset.reset", "latest").containsEntry("enable.auto.commit", false);
    }

    @Test
    void localStackStaysPlaintext() {
        Map<String, Object> p = IdentityEventConsumer.consumerProperties(Map.of("group.id", "auth-service"),
                "127.0.0.1:19092");

        assertThat(p).containsEntry("bootstrap.servers", "127.0.0.1:19092")
                .doesNotContainKeys("security.protocol", "sasl.mechanism", "sasl.jaas.config");
    }
}
