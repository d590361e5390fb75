package dev.kanmon.queue.purge;

import dev.kanmon.queue.config.QueueConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Deletes finished messages (every recipient delivered, bounced or expired, no DSN owed) whose last change is
 * older than {@code kanmon.queue.purge.retention}, with their recipients, attempts and any legacy body row
 * ({@code on delete cascade}). Batches of {@code batch-size} rows, each its own statement, so that a large backlog
 * never holds locks for long; rows another replica is deleting are skipped.
 */
@ApplicationScoped
public class FinishedPurge {

    private static final Logger LOG = Logger.getLogger(FinishedPurge.class);

    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    // queue ids are ULIDs, which sort by arrival time: "queue_id < the cutoff's time prefix" is a primary key range
    // that excludes every message that arrived after the cutoff, so a pass never scans the recent part of the queue
    private static final String DELETE_FINISHED = """
            delete from queue.message where queue_id in (
                select m.queue_id from queue.message m
                 where m.intake_topic = $1 and m.queue_id < $2
                   and not exists (select 1 from queue.recipient r
                                    where r.queue_id = m.queue_id
                                      and (r.state not in ('delivered', 'bounced', 'expired')
                                           or r.dsn_pending is not null or r.updated_at >= $3))
                 order by m.queue_id
                 limit $4
                   for update of m skip locked)""";

    @Inject
    Pool pool;

    @Inject
    QueueConfig config;

    @Scheduled(every = "${kanmon.queue.purge.interval}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> pass() {
        return purge(Instant.now().minus(config.purge().retention()))
                .invoke(n -> {
                    if (n > 0) {
                        LOG.infof("purged %d finished message(s) older than %s", n, config.purge().retention());
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("purge pass failed, next pass retries: %s", e.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Deletes the messages finished before {@code cutoff}; returns how many went. */
    public Uni<Integer> purge(Instant cutoff) {
        return purge(cutoff, 0);
    }

    /** Deletes batches until one comes back short. */
    private Uni<Integer> purge(Instant cutoff, int deletedSoFar) {
        int batch = config.purge().batchSize();
        Tuple args = Tuple.of(config.topics().submitted(), timePrefix(cutoff), cutoff.atOffset(ZoneOffset.UTC), batch);
        return pool.preparedQuery(DELETE_FINISHED).execute(args).chain(rows -> {
            int total = deletedSoFar + rows.rowCount();
            return rows.rowCount() < batch ? Uni.createFrom().item(total) : purge(cutoff, total);
        });
    }

    /** The first 10 characters of a ULID: its 48-bit millisecond time in Crockford base32. */
    static String timePrefix(Instant t) {
        char[] out = new char[10];
        long time = t.toEpochMilli();
        for (int i = 9; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (time & 31)];
            time >>>= 5;
        }
        return new String(out);
    }
}
