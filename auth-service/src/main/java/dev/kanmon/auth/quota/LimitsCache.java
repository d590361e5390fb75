package dev.kanmon.auth.quota;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Subscribers' effective limits, kept in memory so that a reservation costs one database call instead of two.
 * Evicted when they change ({@link LimitsListener} on every replica, {@link QuotaDirectory} on this one) and
 * after {@code limits-cache-ttl} in any case.
 */
@ApplicationScoped
public class LimitsCache {

    private record Entry(Limits limits, long loadedAt) {
    }

    private final Pool pool;
    private final QuotaConfig config;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** Bumped by every eviction: a load that raced with one must not put back what it read before. */
    private final AtomicLong generation = new AtomicLong();

    LimitsCache(Pool pool, QuotaConfig config) {
        this.pool = pool;
        this.config = config;
    }

    public Uni<Limits> get(String username) {
        Entry e = entries.get(username);
        long now = System.nanoTime();
        if (e != null && now - e.loadedAt() < config.limitsCacheTtl().toNanos()) {
            return Uni.createFrom().item(e.limits());
        }
        long before = generation.get();
        return LimitsQuery.load(pool, username, config.defaultPlan()).invoke(limits -> {
            if (generation.get() == before) {
                entries.put(username, new Entry(limits, now));
            }
        });
    }

    void evict(String username) {
        generation.incrementAndGet();
        entries.remove(username);
    }

    void evictAll() {
        generation.incrementAndGet();
        entries.clear();
    }
}
