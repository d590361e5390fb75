package dev.kanmon.dnsbl.locallist;

import dev.kanmon.dnsbl.query.ClientAddress;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The operator's allow/deny networks in {@code dnsbl.local_list}. Read on every check rather than cached so that a
 * change applies to the next connection on every replica; the GiST index keeps the containment query cheap.
 */
@ApplicationScoped
public class LocalLists {

    private static final String COLUMNS = "id, kind, cidr::text AS cidr, comment, created_by, created_at";

    private final Pool pool;

    @Inject
    public LocalLists(Pool pool) {
        this.pool = pool;
    }

    /** The most specific entry containing the address; on equal prefixes deny wins. */
    public Uni<Optional<LocalListEntry>> match(ClientAddress client) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM dnsbl.local_list WHERE cidr >>= $1::text::inet"
                        + " ORDER BY masklen(cidr) DESC, kind = 'deny' DESC LIMIT 1")
                .execute(Tuple.of(client.text()))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(entry(rows.iterator().next())));
    }

    public Uni<List<LocalListEntry>> list(ListKind kind) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM dnsbl.local_list WHERE kind = $1 ORDER BY cidr")
                .execute(Tuple.of(kind.key()))
                .map(rows -> {
                    List<LocalListEntry> entries = new ArrayList<>(rows.size());
                    rows.forEach(r -> entries.add(entry(r)));
                    return entries;
                });
    }

    /** Adds a network; fails with {@code PgException} SQLSTATE 23505 when it is already on that list. */
    public Uni<LocalListEntry> add(ListKind kind, String cidr, String comment, String createdBy) {
        return pool.preparedQuery("INSERT INTO dnsbl.local_list (kind, cidr, comment, created_by)"
                        + " VALUES ($1, $2::text::cidr, $3, $4) RETURNING " + COLUMNS)
                .execute(Tuple.of(kind.key(), cidr, comment, createdBy))
                .map(rows -> entry(rows.iterator().next()));
    }

    /** @return whether an entry was removed */
    public Uni<Boolean> delete(ListKind kind, long id) {
        return pool.preparedQuery("DELETE FROM dnsbl.local_list WHERE kind = $1 AND id = $2")
                .execute(Tuple.of(kind.key(), id))
                .map(rows -> rows.rowCount() > 0);
    }

    private static LocalListEntry entry(Row r) {
        return new LocalListEntry(r.getLong("id"), r.getString("kind"), r.getString("cidr"), r.getString("comment"),
                r.getString("created_by"), r.getOffsetDateTime("created_at"));
    }
}
