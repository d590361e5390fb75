package dev.kanmon.keycloak;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

/** One per request: hands JAX-RS the resource bound to this request's session. */
final class KanmonResourceProvider implements RealmResourceProvider {

    private final KeycloakSession session;
    private final CallerPolicy callers;
    private final AuthorisedCallers authorised;

    KanmonResourceProvider(KeycloakSession session, CallerPolicy callers, AuthorisedCallers authorised) {
        this.session = session;
        this.callers = callers;
        this.authorised = authorised;
    }

    @Override
    public Object getResource() {
        return new CredentialResource(session, callers, authorised);
    }

    @Override
    public void close() {
    }
}
