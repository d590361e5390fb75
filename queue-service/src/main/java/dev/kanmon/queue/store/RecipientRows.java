package dev.kanmon.queue.store;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * Reads {@link Recipient} rows fetched with the reactive SQL client (the batched intake and result paths use plain
 * SQL instead of Hibernate): select {@link #COLUMNS} from {@code queue.recipient r}.
 */
public final class RecipientRows {

    /** The recipient columns {@link #recipient(Row)} reads, qualified with the alias {@code r}. */
    public static final String COLUMNS = """
            r.id, r.queue_id, r.position, r.address, r.domain, r.notify, r.orcpt, r.state, r.attempts, r.next_attempt_at,
            r.last_attempt_at, r.delivery_id, r.reply_code, r.enhanced_code, r.diagnostic, r.remote_mta, r.dsn_pending,
            r.delay_warned, r.updated_at""";

    private RecipientRows() {
    }

    public static Recipient recipient(Row row) {
        Recipient r = new Recipient();
        r.id = row.getLong("id");
        r.queueId = row.getString("queue_id");
        r.position = row.getInteger("position");
        r.address = row.getString("address");
        r.domain = row.getString("domain");
        r.notify = row.getString("notify");
        r.orcpt = row.getString("orcpt");
        r.state = RecipientState.ofDb(row.getString("state"));
        r.attempts = row.getInteger("attempts");
        r.nextAttemptAt = instant(row.getOffsetDateTime("next_attempt_at"));
        r.lastAttemptAt = instant(row.getOffsetDateTime("last_attempt_at"));
        r.deliveryId = row.getString("delivery_id");
        r.replyCode = row.getInteger("reply_code");
        r.enhancedCode = row.getString("enhanced_code");
        r.diagnostic = row.getString("diagnostic");
        r.remoteMta = row.getString("remote_mta");
        r.dsnPending = row.getString("dsn_pending");
        r.delayWarned = row.getBoolean("delay_warned");
        r.updatedAt = instant(row.getOffsetDateTime("updated_at"));
        return r;
    }

    static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
