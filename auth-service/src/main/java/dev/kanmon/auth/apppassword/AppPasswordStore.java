package dev.kanmon.auth.apppassword;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Rows of {@code auth.user_salt} and {@code auth.app_password} (reactive PostgreSQL client). */
@ApplicationScoped
public class AppPasswordStore {

    /** One app password as listed to its owner (never the secret). */
    public record Listed(UUID id, String label, OffsetDateTime createdAt, OffsetDateTime lastUsedAt) {
    }

    /** One app password's verification material. */
    public record Stored(UUID id, Scram.Verifier verifier, byte[] cramSecret) {
    }

    /** A user's salt and all of their app passwords. */
    public record UserCredentials(byte[] salt, int iterations, List<Stored> passwords) {
    }

    private final Pool pool;

    @Inject
    public AppPasswordStore(Pool pool) {
        this.pool = pool;
    }

    /** The user's salt, creating it on first use; concurrent creators agree on the first one written. */
    public Uni<UserCredentials> saltFor(String username, byte[] newSalt, int iterations) {
        return pool.preparedQuery("INSERT INTO auth.user_salt (username, salt, iterations) VALUES ($1, $2, $3) "
                        + "ON CONFLICT (username) DO NOTHING")
                .execute(Tuple.of(username, Buffer.buffer(newSalt), iterations))
                .chain(() -> pool.preparedQuery("SELECT salt, iterations FROM auth.user_salt WHERE username = $1")
                        .execute(Tuple.of(username)))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new UserCredentials(row.getBuffer("salt").getBytes(), row.getInteger("iterations"), List.of());
                });
    }

    /** Inserts unless the user already holds {@code max} app passwords; false when the limit was hit. */
    public Uni<Boolean> insert(UUID id, String username, String label, Scram.Verifier verifier, byte[] cramSecret, int max) {
        return pool.preparedQuery("INSERT INTO auth.app_password (id, username, label, stored_key, server_key, cram_secret) "
                        + "SELECT $1, $2, $3, $4, $5, $6 "
                        + "WHERE (SELECT count(*) FROM auth.app_password WHERE username = $2) < $7")
                .execute(Tuple.tuple(List.of(id, username, label, Buffer.buffer(verifier.storedKey()),
                        Buffer.buffer(verifier.serverKey()))).addValue(cramSecret == null ? null : Buffer.buffer(cramSecret))
                        .addInteger(max))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<List<Listed>> list(String username) {
        return pool.preparedQuery("SELECT id, label, created_at, last_used_at FROM auth.app_password "
                        + "WHERE username = $1 ORDER BY created_at")
                .execute(Tuple.of(username))
                .map(rows -> {
                    List<Listed> result = new ArrayList<>();
                    for (Row row : rows) {
                        result.add(new Listed(row.getUUID("id"), row.getString("label"),
                                row.getOffsetDateTime("created_at"), row.getOffsetDateTime("last_used_at")));
                    }
                    return result;
                });
    }

    public Uni<Boolean> delete(String username, UUID id) {
        return pool.preparedQuery("DELETE FROM auth.app_password WHERE id = $1 AND username = $2")
                .execute(Tuple.of(id, username))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Salt and verifiers of the user, or empty when the user never had an app password. */
    public Uni<Optional<UserCredentials>> credentials(String username) {
        return pool.preparedQuery("SELECT s.salt, s.iterations, p.id, p.stored_key, p.server_key, p.cram_secret "
                        + "FROM auth.user_salt s LEFT JOIN auth.app_password p ON p.username = s.username "
                        + "WHERE s.username = $1")
                .execute(Tuple.of(username))
                .map(rows -> {
                    byte[] salt = null;
                    int iterations = 0;
                    List<Stored> stored = new ArrayList<>();
                    for (Row row : rows) {
                        salt = row.getBuffer("salt").getBytes();
                        iterations = row.getInteger("iterations");
                        if (row.getUUID("id") != null) {
                            var cram = row.getBuffer("cram_secret");
                            stored.add(new Stored(row.getUUID("id"),
                                    new Scram.Verifier(row.getBuffer("stored_key").getBytes(),
                                            row.getBuffer("server_key").getBytes()),
                                    cram == null ? null : cram.getBytes()));
                        }
                    }
                    return salt == null ? Optional.<UserCredentials>empty()
                            : Optional.of(new UserCredentials(salt, iterations, stored));
                });
    }

    /** Which of these ids still exist (the others were revoked). */
    public Uni<Set<UUID>> existing(Set<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return pool.preparedQuery("SELECT id FROM auth.app_password WHERE id = ANY($1)")
                .execute(Tuple.of(ids.toArray(new UUID[0])))
                .map(rows -> {
                    Set<UUID> found = new HashSet<>();
                    rows.forEach(row -> found.add(row.getUUID("id")));
                    return found;
                });
    }

    public Uni<Void> touch(UUID id) {
        return pool.preparedQuery("UPDATE auth.app_password SET last_used_at = now() WHERE id = $1")
                .execute(Tuple.of(id))
                .replaceWithVoid();
    }
}
