package dev.kanmon.auth.quota;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;

/** Drops finished counter windows past retention and expired session leases. */
@Singleton
final class QuotaHousekeeping {

    private final Pool pool;
    private final QuotaConfig config;

    QuotaHousekeeping(Pool pool, QuotaConfig config) {
        this.pool = pool;
        this.config = config;
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        double retention = config.counterRetention().toSeconds();
        return pool.preparedQuery("DELETE FROM quota.counter WHERE window_start < now() - make_interval(secs => $1)")
                .execute(Tuple.of(retention))
                .flatMap(r -> pool.query("DELETE FROM quota.session_lease WHERE expires_at < now()").execute())
                .replaceWithVoid();
    }
}
