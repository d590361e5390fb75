package dev.kanmon.auth.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Sees every identity once it is established, and keeps those OIDC verified from a bearer JWT for reuse. */
@ApplicationScoped
public class RememberVerifiedTokens implements SecurityIdentityAugmentor {

    private final VerifiedTokens tokens;

    RememberVerifiedTokens(VerifiedTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (!identity.isAnonymous()) {
            tokens.remember(identity);
        }
        return Uni.createFrom().item(identity);
    }

    /** After every augmentor that may add roles, so the identity kept is the final one. */
    @Override
    public int priority() {
        return Integer.MIN_VALUE;
    }
}
