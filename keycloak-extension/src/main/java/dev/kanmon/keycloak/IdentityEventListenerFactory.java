package dev.kanmon.keycloak;

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
 * Kafka's metadata, default 500).
 */
public final class IdentityEventListenerFactory implements EventListenerProviderFactory {

    static final String ID = "kanmon-relay";

    private IdentityPublisher publisher;

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new IdentityEventListener(session, publisher);
    }

    @Override
    public void init(Config.Scope config) {
        publisher = new IdentityPublisher(new IdentityPublisher.Settings(
                config.get("bootstrap-servers"),
                config.get("topic", "relay.identity.v1"),
                config.getInt("buffer", 10_000),
                config.getInt("max-block-ms", 500)));
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
