package dev.kanmon.dnsbl.audit;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The dnsbl-service's audit log ({@code dnsbl.operator_audit}): every list change, read by the API. */
@ApplicationScoped
public class OperatorAudit {

    private final Pool pool;
    private final SecurityIdentity identity;

    OperatorAudit(Pool pool, SecurityIdentity identity) {
        this.pool = pool;
        this.identity = identity;
    }

    /** Records an action of the calling operator. */
    public Uni<Void> record(String action, String targetKind, String target, String reason, String before,
            String after) {
        return pool.preparedQuery("""
                        insert into dnsbl.operator_audit (at, actor, action, target_kind, target, reason, before, after)
                        values ($1, $2, $3, $4, $5, $6, $7, $8)""")
                .execute(Tuple.from(Arrays.asList(Instant.now().atOffset(ZoneOffset.UTC),
                        identity.getPrincipal().getName(), action, targetKind, target, blankToNull(reason), before,
                        after)))
                .replaceWithVoid();
    }

    /** Newest first, optionally of one target, actor or action, or since a time. */
    public Uni<List<AuditEntry>> list(String targetKind, String target, String actor, String action, Instant since,
            int limit) {
        return pool.preparedQuery("""
                        select * from dnsbl.operator_audit
                         where ($1::varchar is null or target_kind = $1) and ($2::varchar is null or target = $2)
                           and ($3::varchar is null or actor = $3) and ($4::varchar is null or action = $4)
                           and ($5::timestamptz is null or at >= $5)
                         order by at desc, id desc limit $6""")
                .execute(Tuple.from(Arrays.asList(targetKind, target, actor, action,
                        since == null ? null : since.atOffset(ZoneOffset.UTC), limit)))
                .map(rows -> {
                    List<AuditEntry> out = new ArrayList<>();
                    for (Row r : rows) {
                        OffsetDateTime at = r.getOffsetDateTime("at");
                        out.add(new AuditEntry(r.getLong("id"), at.toInstant(), r.getString("actor"), false,
                                r.getString("action"), r.getString("target_kind"), r.getString("target"),
                                r.getString("reason"), r.getString("before"), r.getString("after")));
                    }
                    return out;
                });
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
