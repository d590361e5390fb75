package dev.kanmon.keycloak;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * Event listener {@code kanmon-relay} (add it to the realm's event listeners). SPI options, e.g.
 * {@code --spi-events-listener--kanmon-relay--bootstrap-servers=kafka:9092}: {@code bootstrap-servers} (none: the
 * listener drops and counts every event), {@code topic} ({@code relay.identity.v1}), {@code buffer} (events held
 * while Kafka is slow or down, default 10000), {@code max-block-ms} (how long the sender thread may wait for
 * Kafka's metadata, default 500), {@code publish-logins} ({@code false}: successful {@code LOGIN} events, with the
 * user name and client address, are published too, for the relay's login-before-SMTP window; off by default, as
 * that feature is).
 *
 * <p>The connection to Kafka (none of them set: plaintext without authentication, as the local stack): the options
 * {@code security-protocol}, {@code sasl-mechanism}, {@code sasl-jaas-config}, {@code ssl-truststore-type},
 * {@code ssl-truststore-location} and {@code ssl-truststore-certificates} become the Kafka client properties of
 * the same name with dots ({@code security.protocol}, ...). In Kubernetes (k8s/base/infra/keycloak.yaml): {@code SASL_SSL},
 * {@code SCRAM-SHA-512}, the {@code sasl.jaas.config} of the KafkaUser {@code kanmon-keycloak}'s Secret, and the
 * cluster CA as a PEM truststore.
 */
public final class IdentityEventListenerFactory implements EventListenerProviderFactory {

    static final String ID = "kanmon-relay";
    /** Kafka client properties that may be set as SPI options (the option: dots replaced by dashes). */
    static final List<String> CONNECTION_PROPERTIES = List.of(
            "security.protocol",
            "sasl.mechanism",
            "sasl.jaas.config",
            "ssl.truststore.type",
            "ssl.truststore.location",
            "ssl.truststore.certificates");

    private IdentityPublisher publisher;
    /** Option {@code publish-logins}: a login event per successful login is traffic and data nobody asked for. */
    private boolean publishLogins;

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new IdentityEventListener(session, publisher, publishLogins);
    }

    @Override
    public void init(Config.Scope config) {
        publisher = new IdentityPublisher(new IdentityPublisher.Settings(
                config.get("bootstrap-servers"),
                config.get("topic", "relay.identity.v1"),
                config.getInt("buffer", 10_000),
                config.getInt("max-block-ms", 500),
                connection(config)));
        publishLogins = config.getBoolean("publish-logins", false);
    }

    /** The Kafka client properties of {@link #CONNECTION_PROPERTIES} that the SPI options set. */
    static Map<String, String> connection(Config.Scope config) {
        Map<String, String> p = new LinkedHashMap<>();
        for (String property : CONNECTION_PROPERTIES) {
            String value = config.get(property.replace('.', '-'));
            if (value != null && !value.isBlank()) {
                p.put(property, value.strip());
            }
        }
        return p;
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        publisher.start();
    }

    @Override
    public void close() {
        publisher.close();
    }

    @Override
    public String getId() {
        return ID;
    }
}
