package dev.kanmon.auth.quota;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** The subscribers suspended now, newest first: the abuse desk's "who is blocked" list (console dashboard). */
@Path("/api/v1/quota/suspensions")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"relay-operator", "relay-admin"})
public class SuspensionListResource {

    /**
     * One suspension.
     *
     * @param username    the subscriber
     * @param reason      the reason given when suspending
     * @param suspendedAt when
     */
    public record Suspended(String username, String reason, OffsetDateTime suspendedAt) {
    }

    private final Pool pool;

    SuspensionListResource(Pool pool) {
        this.pool = pool;
    }

    @GET
    public Uni<List<Suspended>> list(@QueryParam("limit") @DefaultValue("100") int limit) {
        return pool.preparedQuery("""
                        select username, suspended_reason, suspended_at from quota.subscriber
                         where suspended order by suspended_at desc nulls last, username limit $1""")
                .execute(Tuple.of(Math.max(1, Math.min(limit, 1000))))
                .map(rows -> {
                    List<Suspended> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Suspended(r.getString(0), r.getString(1), r.getOffsetDateTime(2)));
                    }
                    return out;
                });
    }
}
