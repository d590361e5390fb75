package dev.kanmon.queue.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The durable audit record ({@code queue.audit_record}): automatic decisions are written in the transaction that makes
 * them, operator actions with the change they describe. Append-only; read by the admin API with filters.
 */
@ApplicationScoped
public class AuditLog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Double>> SIGNALS = new TypeReference<>() {
    };

    private static final String INSERT = """
            insert into queue.audit_record (at, actor, automatic, action, target_kind, target, reason, score, signals,
                                            before, after)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id""";

    private final Pool pool;

    AuditLog(Pool pool) {
        this.pool = pool;
    }

    /** Stores the entry with the given client (a transaction's connection, or the pool); returns it with its id. */
    public Uni<AuditEntry> record(SqlClient client, AuditEntry e) {
        return client.preparedQuery(INSERT).execute(Tuple.from(Arrays.asList(utc(e.at()), e.actor(), e.automatic(),
                        e.action(), e.targetKind(), e.target(), e.reason(), e.score(),
                        e.signals().isEmpty() ? null : json(e.signals()), e.before(), e.after())))
                .map(rows -> e.withId(rows.iterator().next().getLong("id")));
    }

    public Uni<AuditEntry> record(AuditEntry e) {
        return record(pool, e);
    }

    /** Newest first, optionally of one target, one actor, one action or since a time. */
    public Uni<List<AuditEntry>> list(String targetKind, String target, String actor, String action, Instant since,
            int limit) {
        return pool.preparedQuery("""
                        select * from queue.audit_record
                         where ($1::varchar is null or target_kind = $1) and ($2::varchar is null or target = $2)
                           and ($3::varchar is null or actor = $3) and ($4::varchar is null or action = $4)
                           and ($5::timestamptz is null or at >= $5)
                         order by at desc, id desc limit $6""")
                .execute(Tuple.from(Arrays.asList(targetKind, target, actor, action, utc(since), limit)))
                .map(rows -> {
                    List<AuditEntry> out = new ArrayList<>();
                    rows.forEach(r -> out.add(entry(r)));
                    return out;
                });
    }

    private static AuditEntry entry(Row r) {
        String signals = r.getString("signals");
        return new AuditEntry(r.getLong("id"), r.getOffsetDateTime("at").toInstant(), r.getString("actor"),
                r.getBoolean("automatic"), r.getString("action"), r.getString("target_kind"), r.getString("target"),
                r.getString("reason"), r.getInteger("score"), signals == null ? Map.of() : signals(signals),
                r.getString("before"), r.getString("after"));
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static Map<String, Double> signals(String json) {
        try {
            return JSON.readValue(json, SIGNALS);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }
}
