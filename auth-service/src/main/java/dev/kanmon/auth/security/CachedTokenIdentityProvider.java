package dev.kanmon.auth.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Asked before Quarkus OIDC's own provider: answers a bearer token it has seen verified ({@link VerifiedTokens}),
 * and for any other token answers nothing, so that OIDC verifies it as always.
 */
@ApplicationScoped
public class CachedTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final VerifiedTokens tokens;

    CachedTokenIdentityProvider(VerifiedTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        return Uni.createFrom().item(tokens.find(request.getToken().getToken()));
    }

    /** Before OIDC's provider, which has the interface's default priority (1001, above {@code SYSTEM_FIRST}). */
    @Override
    public int priority() {
        return IdentityProvider.super.priority() + 1000;
    }
}
