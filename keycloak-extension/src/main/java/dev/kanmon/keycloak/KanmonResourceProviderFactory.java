package dev.kanmon.keycloak;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * Mounts Kanmon's endpoints under {@code /realms/{realm}/kanmon}. Which client role may call them is SPI
 * configuration ({@code --spi-realm-restapi-extension--kanmon--client=...}, {@code ...--role=...}); a caller's
 * token, once checked, is trusted for {@code ...--caller-cache-seconds} (default 60, 0: check every request).
 */
public final class KanmonResourceProviderFactory implements RealmResourceProviderFactory {

    /** Path segment after the realm, and the provider id. */
    public static final String ID = "kanmon";

    private CallerPolicy callers;
    private AuthorisedCallers authorised;

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new KanmonResourceProvider(session, callers, authorised);
    }

    @Override
    public void init(Config.Scope config) {
        callers = new CallerPolicy(config.get("client", "smtp-submission"), config.get("role", "credential-verifier"));
        authorised = new AuthorisedCallers(config.getLong("caller-cache-seconds", 60L) * 1000);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return ID;
    }
}
