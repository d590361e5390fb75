package dev.kanmon.auth.credential;

import dev.kanmon.auth.apppassword.AppPasswords;
import dev.kanmon.auth.ban.BruteForceGuard;
import dev.kanmon.auth.keycloak.DirectoryUser;
import dev.kanmon.auth.keycloak.KeycloakClient;
import dev.kanmon.auth.keycloak.PasswordCheck;
import dev.kanmon.auth.keycloak.UserDirectory;
import dev.kanmon.auth.token.TokenValidator;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Every credential check, in the same order for each mechanism: a banned source is refused before anything else
 * (no Keycloak call, no database); then the cheap local checks; then Keycloak. Only wrong credentials count as
 * failures; an outage of Keycloak or PostgreSQL is a TEMPFAIL and never a ban.
 */
@ApplicationScoped
public class Authenticator {

    private static final Logger LOG = Logger.getLogger(Authenticator.class);
    /** Metric tag values; anything else a caller sends is counted as OTHER (bounded cardinality). */
    private static final Set<String> MECHANISMS =
            Set.of("PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-256", "OAUTHBEARER", "XOAUTH2");

    private final BruteForceGuard guard;
    private final SuccessCache cache;
    private final AppPasswords appPasswords;
    private final KeycloakClient keycloak;
    private final UserDirectory directory;
    private final TokenValidator tokens;
    private final Revalidator revalidator;
    private final MeterRegistry registry;

    @Inject
    public Authenticator(BruteForceGuard guard, SuccessCache cache, AppPasswords appPasswords, KeycloakClient keycloak,
            UserDirectory directory, TokenValidator tokens, Revalidator revalidator, MeterRegistry registry) {
        this.guard = guard;
        this.cache = cache;
        this.appPasswords = appPasswords;
        this.keycloak = keycloak;
        this.directory = directory;
        this.tokens = tokens;
        this.revalidator = revalidator;
        this.registry = registry;
    }

    /** PLAIN/LOGIN: cached success, else app password (local), else Keycloak's credential check (extension). */
    public Uni<Decision> password(String username, String password, String authzid, String clientIp, String mechanism) {
        if (blank(username) || password == null || password.isEmpty()) {
            return done(mechanism, Decision.failure());
        }
        if (authzid != null && !authzid.isEmpty() && !authzid.equalsIgnoreCase(username)) {
            // No proxy authorisation: nobody may act as somebody else.
            return done(mechanism, Decision.failure());
        }
        if (guard.banned(clientIp, username)) {
            return done(mechanism, Decision.banned());
        }
        Optional<SuccessCache.Entry> cached = cache.get(username, password);
        if (cached.isPresent()) {
            registry.counter("kanmon.auth.cache.hits").increment();
            return done(mechanism, Decision.success(cached.get().identity()));
        }
        Uni<Decision> decision = appPasswords.verifyPassword(username, password)
                .onFailure().recoverWithItem(err -> {
                    // Without the app-password table the Keycloak password may still work.
                    LOG.warnf("app password check of %s skipped: %s", username, err.toString());
                    return Optional.empty();
                })
                .chain(match -> match.isPresent()
                        ? viaAppPassword(username, password, match.get(), clientIp)
                        : viaKeycloak(username, password, clientIp));
        return decision.onFailure().recoverWithItem(this::outage).chain(d -> done(mechanism, d));
    }

    private Uni<Decision> viaAppPassword(String username, String password, UUID appPasswordId, String clientIp) {
        return known(username, clientIp).invoke(d -> {
            if (d.outcome() == Decision.Outcome.SUCCESS) {
                cache.put(username, password, d.identity(), appPasswordId);
            }
        });
    }

    private Uni<Decision> viaKeycloak(String username, String password, String clientIp) {
        return keycloak.verifyPassword(username, password).chain(result -> {
            if (result instanceof PasswordCheck.Valid valid) {
                if (valid.secondFactor()) {
                    // right password, but the account's second factor cannot be presented over SMTP; not a guess
                    return Uni.createFrom().item(Decision.secondFactor());
                }
                cache.put(username, password, valid.identity(), null);
                return Uni.createFrom().item(Decision.success(valid.identity()));
            }
            if (result instanceof PasswordCheck.Invalid) {
                return failed(clientIp, username);
            }
            if (result instanceof PasswordCheck.Disabled) {
                return Uni.createFrom().item(Decision.failure());
            }
            if (result instanceof PasswordCheck.Locked) {
                // Keycloak's own brute-force detection holds the account: answered like our bans (try later)
                return Uni.createFrom().item(Decision.banned());
            }
            LOG.warnf("Keycloak credential check unavailable: %s", ((PasswordCheck.Unavailable) result).reason());
            return Uni.createFrom().item(Decision.tempfail());
        });
    }

    /** CRAM-MD5 against the user's app passwords. */
    public Uni<Decision> cramMd5(String username, String challenge, String digest, String clientIp) {
        if (blank(username) || blank(challenge) || blank(digest)) {
            return done("CRAM-MD5", Decision.failure());
        }
        if (guard.banned(clientIp, username)) {
            return done("CRAM-MD5", Decision.banned());
        }
        return appPasswords.verifyCramMd5(username, challenge, digest)
                .chain(match -> match.isPresent() ? known(username, clientIp) : failed(clientIp, username))
                .onFailure().recoverWithItem(this::outage)
                .chain(d -> done("CRAM-MD5", d));
    }

    /** SCRAM step 1: the salt and iterations; empty with a reply when the source is banned. */
    public Uni<Optional<AppPasswords.ScramParameters>> scramParameters(String username, String clientIp) {
        if (guard.banned(clientIp, username)) {
            return Uni.createFrom().item(Optional.empty());
        }
        return appPasswords.scramParameters(username).map(Optional::of);
    }

    /** SCRAM step 2: the ClientProof. */
    public Uni<Decision> scramProof(String username, String authMessage, byte[] proof, String clientIp) {
        if (blank(username) || blank(authMessage) || proof == null) {
            return done("SCRAM-SHA-256", Decision.failure());
        }
        if (guard.banned(clientIp, username)) {
            return done("SCRAM-SHA-256", Decision.banned());
        }
        return appPasswords.verifyScram(username, authMessage, proof)
                .chain(match -> match.isPresent()
                        ? known(username, clientIp).map(d -> d.outcome() == Decision.Outcome.SUCCESS
                                ? Decision.success(d.identity(), match.get().serverSignature()) : d)
                        : failed(clientIp, username))
                .onFailure().recoverWithItem(this::outage)
                .chain(d -> done("SCRAM-SHA-256", d));
    }

    /** OAUTHBEARER/XOAUTH2: a Keycloak access token; the SASL user name must be the token's user or address. */
    public Uni<Decision> token(String token, String username, String clientIp, String mechanism) {
        if (blank(token)) {
            return done(mechanism, Decision.failure());
        }
        if (guard.banned(clientIp, username)) {
            return done(mechanism, Decision.banned());
        }
        return tokens.validate(token).chain(result -> {
            if (result instanceof TokenValidator.Result.Valid valid) {
                Identity who = valid.identity();
                boolean sameUser = blank(username) || username.equalsIgnoreCase(who.username())
                        || who.addresses().stream().anyMatch(username::equalsIgnoreCase);
                if (!sameUser) {
                    return failed(clientIp, username);
                }
                if (revalidator.disabled(who.userId())) {
                    return Uni.createFrom().item(Decision.failure());
                }
                return Uni.createFrom().item(Decision.success(who));
            }
            if (result instanceof TokenValidator.Result.Invalid invalid) {
                LOG.debugf("token rejected: %s", invalid.reason());
                return failed(clientIp, username);
            }
            LOG.warnf("token not checkable: %s", ((TokenValidator.Result.Unavailable) result).reason());
            return Uni.createFrom().item(Decision.tempfail());
        }).chain(d -> done(mechanism, d));
    }

    /** The credential was right: the user must still exist in Keycloak and be enabled. */
    private Uni<Decision> known(String username, String clientIp) {
        return directory.find(username).map(found -> {
            if (found.isEmpty()) {
                return Decision.failure();
            }
            DirectoryUser user = found.get();
            if (!user.enabled() || revalidator.disabled(user.identity().userId())) {
                return Decision.failure();
            }
            return Decision.success(user.identity());
        }).onFailure().recoverWithItem(this::outage);
    }

    private Uni<Decision> failed(String clientIp, String username) {
        return guard.recordFailure(clientIp, username)
                .onFailure().invoke(err -> LOG.warnf("failure not counted: %s", err.toString()))
                .onFailure().recoverWithNull()
                .replaceWith(Decision.failure());
    }

    private Decision outage(Throwable err) {
        LOG.warnf("credential check could not complete: %s", err.toString());
        return Decision.tempfail();
    }

    private Uni<Decision> done(String mechanism, Decision decision) {
        String tag = mechanism == null ? "OTHER" : mechanism.toUpperCase(Locale.ROOT);
        registry.counter("kanmon.auth.results", "mechanism", MECHANISMS.contains(tag) ? tag : "OTHER",
                "outcome", decision.outcome().name().toLowerCase(Locale.ROOT)).increment();
        return Uni.createFrom().item(decision);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
