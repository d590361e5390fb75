package dev.kanmon.auth.quota;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.NoSuchElementException;

/** Reads the effective limits of a subscriber: plan values with the subscriber's non-null overrides. */
final class LimitsQuery {

    private static final String SQL = """
            SELECT p.name,
                   COALESCE(s.messages_per_minute, p.messages_per_minute)       AS messages_per_minute,
                   COALESCE(s.messages_per_hour, p.messages_per_hour)           AS messages_per_hour,
                   COALESCE(s.messages_per_day, p.messages_per_day)             AS messages_per_day,
                   COALESCE(s.recipients_per_message, p.recipients_per_message) AS recipients_per_message,
                   COALESCE(s.recipients_per_day, p.recipients_per_day)         AS recipients_per_day,
                   COALESCE(s.concurrent_sessions, p.concurrent_sessions)       AS concurrent_sessions,
                   COALESCE(s.suspended, false)                                 AS suspended,
                   s.suspended_reason
              FROM quota.plan p
              LEFT JOIN quota.subscriber s ON s.username = $1
             WHERE p.name = COALESCE((SELECT plan FROM quota.subscriber WHERE username = $1), $2)
            """;

    private LimitsQuery() {
    }

    static Uni<Limits> load(SqlClient client, String username, String defaultPlan) {
        return client.preparedQuery(SQL).execute(Tuple.of(username, defaultPlan)).map(rows -> {
            if (rows.size() == 0) {
                throw new NoSuchElementException("plan of " + username + " (default " + defaultPlan + ") does not exist");
            }
            return map(rows.iterator().next());
        });
    }

    private static Limits map(Row r) {
        return new Limits(r.getString("name"),
                r.getInteger("messages_per_minute"),
                r.getInteger("messages_per_hour"),
                r.getInteger("messages_per_day"),
                r.getInteger("recipients_per_message"),
                r.getInteger("recipients_per_day"),
                r.getInteger("concurrent_sessions"),
                r.getBoolean("suspended"),
                r.getString("suspended_reason"));
    }
}
