package dev.kanmon.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.keycloak.Config;

/**
 * The SPI options of {@code kanmon-relay} reach the Kafka producer: the connection's security (k8s: SASL_SSL,
 * SCRAM-SHA-512, the KafkaUser {@code kanmon-keycloak}, the cluster CA) and, without them, plaintext as before.
 * No Keycloak needed (unlike the other tests of this module).
 */
class IdentityPublisherSettingsTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"kanmon-keycloak\" password=\"secret\";";

    /** The options as k8s/base/infra/keycloak.yaml sets them (spi-events-listener--kanmon-relay--*). */
    private static final Map<String, String> K8S_OPTIONS = Map.of(
            "bootstrap-servers", "kanmon-kafka-bootstrap:9093",
            "security-protocol", "SASL_SSL",
            "sasl-mechanism", "SCRAM-SHA-512",
            "sasl-jaas-config", JAAS,
            "ssl-truststore-type", "PEM",
            "ssl-truststore-location", "/etc/kanmon/kafka-ca/ca.crt");

    private static Properties producerProperties(Map<String, String> options) {
        Config.Scope scope = new MapScope(options);
        IdentityPublisher.Settings settings = new IdentityPublisher.Settings(scope.get("bootstrap-servers"),
                "relay.identity.v1", 10, 500, IdentityEventListenerFactory.connection(scope));
        return IdentityPublisher.producerProperties(settings);
    }

    @Test
    void securityOptionsBecomeTheProducersConnectionProperties() {
        Properties p = producerProperties(K8S_OPTIONS);

        assertThat(p).containsEntry("bootstrap.servers", "kanmon-kafka-bootstrap:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", JAAS)
                .containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("ssl.truststore.location", "/etc/kanmon/kafka-ca/ca.crt")
                .containsEntry("acks", "all");
    }

    @Test
    void kafkaAcceptsTheSaslSettings() {
        // SASL without TLS, so that no CA file is needed: the mechanism and the JAAS line are valid for the client
        // (the SCRAM login module loads and logs in); nothing listens on the address, nothing is sent
        Map<String, String> options = new HashMap<>(K8S_OPTIONS);
        options.put("bootstrap-servers", "127.0.0.1:9");
        options.put("security-protocol", "SASL_PLAINTEXT");
        options.remove("ssl-truststore-type");
        options.remove("ssl-truststore-location");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties(options),
                new StringSerializer(), new StringSerializer())) {
            assertThat(producer.metrics()).isNotEmpty();
        }
    }

    @Test
    void withoutSecurityOptionsTheProducerStaysPlaintext() {
        // the local stack: --spi-events-listener--kanmon-relay--bootstrap-servers=127.0.0.1:19092 only
        Properties p = producerProperties(Map.of("bootstrap-servers", "127.0.0.1:19092", "sasl-mechanism", " "));

        assertThat(p).containsEntry("bootstrap.servers", "127.0.0.1:19092")
                .doesNotContainKeys("security.protocol", "sasl.mechanism", "sasl.jaas.config", "ssl.truststore.type",
                        "ssl.truststore.location", "ssl.truststore.certificates");
    }

    @Test
    void aConnectionPropertyCannotOverrideThePublishersOwnSettings() {
        IdentityPublisher.Settings settings = new IdentityPublisher.Settings("b:9093", "t", 10, 500,
                Map.of("security.protocol", "SSL", "acks", "1", "bootstrap.servers", "elsewhere:9092"));

        assertThat(IdentityPublisher.producerProperties(settings)).containsEntry("security.protocol", "SSL")
                .containsEntry("acks", "all")
                .containsEntry("bootstrap.servers", "b:9093");
    }

    /** A Keycloak SPI scope over a map (only what the factory reads). */
    private record MapScope(Map<String, String> values) implements Config.Scope {

        @Override
        public String get(String key) {
            return values.get(key);
        }

        @Override
        public String get(String key, String defaultValue) {
            return values.getOrDefault(key, defaultValue);
        }

        @Override
        public String[] getArray(String key) {
            String v = get(key);
            return v == null ? null : v.split(",");
        }

        @Override
        public Integer getInt(String key) {
            String v = get(key);
            return v == null ? null : Integer.valueOf(v);
        }

        @Override
        public Integer getInt(String key, Integer defaultValue) {
            Integer v = getInt(key);
            return v == null ? defaultValue : v;
        }

        @Override
        public Long getLong(String key) {
            String v = get(key);
            return v == null ? null : Long.valueOf(v);
        }

        @Override
        public Long getLong(String key, Long defaultValue) {
            Long v = getLong(key);
            return v == null ? defaultValue : v;
        }

        @Override
        public Boolean getBoolean(String key) {
            String v = get(key);
            return v == null ? null : Boolean.valueOf(v);
        }

        @Override
        public Boolean getBoolean(String key, Boolean defaultValue) {
            Boolean v = getBoolean(key);
            return v == null ? defaultValue : v;
        }

        @Override
        public Config.Scope scope(String... scope) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Set<String> getPropertyNames() {
            return values.keySet();
        }

        @Override
        public Config.Scope root() {
            throw new UnsupportedOperationException();
        }
    }
}
