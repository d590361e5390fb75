package dev.kanmon.submission.auth.revocation;

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
                    + "username=\"submission-service\" password=\"secret\";",
            "ssl.truststore.type", "PEM",
            "ssl.truststore.location", "/etc/kanmon/kafka-ca/ca.crt",
            "group.id", "submission-service",
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
    void ownGroupPerInstanceFromTheEndWithoutCommits() {
        Map<String, Object> first = IdentityEventConsumer.consumerProperties(K8S_BROKER, "b:9093");
        Map<String, Object> second = IdentityEventConsumer.consumerProperties(K8S_BROKER, "b:9093");

        // the prefix the KafkaUser submission-service may read (k8s/base/infra/kafka.yaml)
        assertThat((String) first.get("group.id")).startsWith("submission-service-identity-");
        assertThat(first.get("group.id")).isNotEqualTo(second.get("group.id"));
        assertThat(first).containsEntry("auto.offset.reset", "latest").containsEntry("enable.auto.commit", false);
    }
}
