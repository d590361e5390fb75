package dev.kanmon.auth.credential;

import dev.kanmon.auth.apppassword.AppPasswordStore;
import dev.kanmon.auth.config.AuthConfig;
import dev.kanmon.auth.keycloak.KeycloakClient;
import dev.kanmon.auth.keycloak.UserDirectory;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Keeps cached successes honest. A change of a user in Keycloak arrives as an event (topic
 * {@code relay.identity.v1}, {@link #userChanged}): that user's cached checks and directory entry go within 100 ms,
 * and one admin-API look-up tells whether the user is now disabled or gone (for still-valid access tokens). A
 * reconciliation at start and every {@code kanmon.auth.identity.reconcile-interval} (one paged query for all
 * disabled users, no per-user calls) covers events that never arrived. Revoked app passwords are polled from
 * PostgreSQL every {@code kanmon.auth.cache.revalidate-interval}.
 */
@ApplicationScoped
public class Revalidator {

    private static final Logger LOG = Logger.getLogger(Revalidator.class);
    /** Key of events that may concern every user (group plan, realm-wide logout). */
    static final String ALL_USERS = "*";
    /** How long changes are gathered into one batch: well within the second a change may take to apply. */
    private static final long BATCH_DELAY_MILLIS = 100;
    /** More changed users than this in one batch: one reconciliation instead of a look-up per user. */
    private static final int MAX_LOOKUPS = 20;

    private final KeycloakClient keycloak;
    private final AppPasswordStore appPasswords;
    private final SuccessCache cache;
    private final UserDirectory directory;
    private final Vertx vertx;
    private final AuthConfig config;
    private final MeterRegistry registry;
    private volatile Set<String> disabled = Set.of();
    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean draining = new AtomicBoolean();
    private long appPasswordTimer = -1;
    private long reconcileTimer = -1;

    @Inject
    public Revalidator(KeycloakClient keycloak, AppPasswordStore appPasswords, SuccessCache cache,
            UserDirectory directory, Vertx vertx, AuthConfig config, MeterRegistry registry) {
        this.keycloak = keycloak;
        this.appPasswords = appPasswords;
        this.cache = cache;
        this.directory = directory;
        this.vertx = vertx;
        this.config = config;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        reconcileLogged();
        reconcileTimer = vertx.setPeriodic(config.identity().reconcileInterval().toMillis(), id -> reconcileLogged());
        appPasswordTimer = vertx.setPeriodic(config.cache().revalidateInterval().toMillis(), id -> revokedAppPasswords()
                .subscribe().with(ok -> { }, err -> failed("app-password revalidation", err)));
    }

    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(reconcileTimer);
        vertx.cancelTimer(appPasswordTimer);
    }

    /** Whether Keycloak last said this user is disabled or gone (tokens stay valid until expiry; we do not wait). */
    public boolean disabled(String userId) {
        return disabled.contains(userId);
    }

    /**
     * An identity change from Keycloak: within {@link #BATCH_DELAY_MILLIS} the user's cached checks and directory
     * entry are dropped, then one admin-API look-up tells whether the user is now disabled or gone. Changes are
     * handled in batches, one batch at a time: a bulk change in Keycloak (a partial import of thousands of users)
     * costs one pass over the caches and one reconciliation instead of a flood of look-ups that would starve the
     * password checks of Keycloak connections.
     */
    public void userChanged(String userId) {
        registry.counter("kanmon.auth.identity.events").increment();
        changed.add(userId);
        if (draining.compareAndSet(false, true)) {
            vertx.setTimer(BATCH_DELAY_MILLIS, id -> drain());
        }
    }

    private void drain() {
        List<String> batch = new ArrayList<>();
        for (Iterator<String> it = changed.iterator(); it.hasNext();) {
            // removed one by one: a change arriving meanwhile stays for the next batch
            batch.add(it.next());
            it.remove();
        }
        Uni<Void> work;
        if (batch.contains(ALL_USERS) || batch.size() > MAX_LOOKUPS) {
            cache.evictAll();
            directory.evictAll();
            work = reconcile();
        } else {
            Set<String> ids = Set.copyOf(batch);
            cache.evictUsers(ids);
            directory.evictUsers(ids);
            work = Multi.createFrom().iterable(ids)
                    .onItem().transformToUniAndConcatenate(id -> keycloak.findUserById(id)
                            .invoke(found -> setDisabled(id, found.isEmpty() || !found.get().enabled()))
                            .onFailure().invoke(err -> failed("look-up of changed user " + id, err))
                            .onFailure().recoverWithNull())
                    .collect().last().replaceWithVoid();
        }
        work.subscribe().with(ok -> drained(), err -> {
            failed("reconciliation after identity changes", err);
            drained();
        });
    }

    private void drained() {
        draining.set(false);
        if (!changed.isEmpty() && draining.compareAndSet(false, true)) {
            vertx.setTimer(BATCH_DELAY_MILLIS, id -> drain());
        }
    }

    private synchronized void setDisabled(String userId, boolean isDisabled) {
        Set<String> next = new HashSet<>(disabled);
        if (isDisabled ? next.add(userId) : next.remove(userId)) {
            disabled = Set.copyOf(next);
        }
    }

    private void reconcileLogged() {
        reconcile().subscribe().with(ok -> { }, err -> failed("reconciliation with Keycloak", err));
    }

    Uni<Void> reconcile() {
        return keycloak.disabledUserIds().invoke(ids -> {
            synchronized (this) {
                disabled = Set.copyOf(ids);
            }
            cache.evictUsers(ids);
            directory.evictUsers(ids);
        }).replaceWithVoid();
    }

    private Uni<Void> revokedAppPasswords() {
        Set<UUID> checked = cache.appPasswordIds();
        return appPasswords.existing(checked)
                .invoke(existing -> cache.retainAppPasswords(checked, existing))
                .replaceWithVoid();
    }

    private void failed(String what, Throwable err) {
        registry.counter("kanmon.auth.revalidation.failures").increment();
        LOG.warnf("%s failed: %s", what, err.toString());
    }
}
