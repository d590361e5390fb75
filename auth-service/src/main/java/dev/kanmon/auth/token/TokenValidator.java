package dev.kanmon.auth.token;

import dev.kanmon.auth.credential.Identity;
import dev.kanmon.auth.keycloak.Claims;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Validates a Keycloak access token presented through OAUTHBEARER/XOAUTH2 with the default OIDC tenant: signature
 * (realm JWKS), issuer (the realm's), expiry, and audience ({@code quarkus.oidc.token.audience=kanmon}).
 */
@ApplicationScoped
public class TokenValidator {

    /** The validation outcome. */
    public sealed interface Result {
        /** Valid token of this subscriber. */
        record Valid(Identity identity) implements Result {
        }

        /** Invalid, expired, wrong issuer or audience. */
        record Invalid(String reason) implements Result {
        }

        /** Could not be checked (Keycloak's keys unreachable). */
        record Unavailable(String reason) implements Result {
        }
    }

    private final TenantIdentityProvider identityProvider;

    @Inject
    public TokenValidator(TenantIdentityProvider identityProvider) {
        this.identityProvider = identityProvider;
    }

    public Uni<Result> validate(String token) {
        return identityProvider.authenticate(new AccessTokenCredential(token))
                .map(identity -> {
                    JsonWebToken jwt = (JsonWebToken) identity.getPrincipal();
                    Identity who = Claims.fromClaims(jwt.getSubject(), jwt.getClaim("preferred_username"),
                            jwt.getClaim("email"), jwt.getClaim("mail_aliases"));
                    if (who.username() == null) {
                        return (Result) new Result.Invalid("no preferred_username claim");
                    }
                    return (Result) new Result.Valid(who);
                })
                .onFailure().recoverWithItem(err -> err instanceof AuthenticationFailedException
                        ? new Result.Invalid(String.valueOf(err.getMessage()))
                        : new Result.Unavailable(err.toString()));
    }
}
