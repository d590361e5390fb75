package dev.kanmon.keycloak;

import java.util.Optional;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;

/**
 * Hands relevant events to the {@link IdentityPublisher} once the request's transaction has committed: a consumer
 * reacting to the event (dropping its cache, checking the password again) must already see the new state, and a
 * rolled-back change is not announced.
 */
final class IdentityEventListener implements EventListenerProvider {

    private final KeycloakSession session;
    private final IdentityPublisher publisher;
    private final boolean logins;

    IdentityEventListener(KeycloakSession session, IdentityPublisher publisher, boolean logins) {
        this.session = session;
        this.publisher = publisher;
        this.logins = logins;
    }

    @Override
    public void onEvent(Event event) {
        afterCommit(IdentityChanges.of(event, logins));
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        afterCommit(IdentityChanges.of(event));
    }

    private void afterCommit(Optional<IdentityChange> change) {
        change.ifPresent(c -> session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                publisher.publish(c);
            }

            @Override
            protected void rollbackImpl() {
            }
        }));
    }

    @Override
    public void close() {
    }
}
