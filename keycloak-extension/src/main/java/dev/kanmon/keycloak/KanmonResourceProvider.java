package dev.kanmon.keycloak;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

/** One per request: hands JAX-RS the resource bound to this request's session. */
final class KanmonResourceProvider implements RealmResourceProvider {

    private final KeycloakSession session;
    private final CallerPolicy callers;

    KanmonResourceProvider(KeycloakSession session, CallerPolicy callers) {
        this.session = session;
        this.callers = callers;
    }

    @Override
    public Object getResource() {
        return new CredentialResource(session, callers);
    }

    @Override
    public void close() {
    }
}
