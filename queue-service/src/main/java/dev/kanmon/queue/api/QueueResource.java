package dev.kanmon.queue.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kanmon.core.log.QueueIdLog;
import dev.kanmon.queue.audit.AuditEntry;
import dev.kanmon.queue.audit.AuditLog;
import dev.kanmon.queue.dsn.DsnService;
import dev.kanmon.queue.store.Attempt;
import dev.kanmon.queue.store.QueuedMessage;
import dev.kanmon.queue.store.Recipient;
import dev.kanmon.queue.store.RecipientState;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Parameters;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Operator queue API: the {@code mailq} / {@code postsuper} of Kanmon. Keycloak realm role {@code relay-operator}
 * (or {@code relay-admin}) reads and acts; only {@code relay-admin} deletes.
 */
@Path("/api/v1/queue")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({QueueResource.OPERATOR, QueueResource.ADMIN})
public class QueueResource {

    static final String OPERATOR = "relay-operator";
    static final String ADMIN = "relay-admin";

    private static final Logger LOG = Logger.getLogger(QueueResource.class);
    private static final List<RecipientState> PENDING =
            List.of(RecipientState.QUEUED, RecipientState.DELIVERING, RecipientState.DEFERRED, RecipientState.HELD);

    @Inject
    SecurityIdentity identity;

    @Inject
    DsnService dsn;

    @Inject
    ObjectMapper json;

    @Inject
    AuditLog audit;

    /** {@code mailq}: messages filtered by recipient state, sender, recipient domain and authenticated user. */
    @GET
    @Path("/messages")
    public Uni<QueuePage> list(@QueryParam("state") String state, @QueryParam("sender") String sender,
            @QueryParam("domain") String domain, @QueryParam("user") String user,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        if (page < 0 || size < 1 || size > 1000) {
            throw new BadRequestException("page >= 0 and 1 <= size <= 1000");
        }
        StringBuilder where = new StringBuilder("from QueuedMessage m where 1 = 1");
        Parameters params = new Parameters();
        if (sender != null) {
            where.append(" and lower(m.mailFrom) = :sender");
            params.and("sender", sender.toLowerCase(Locale.ROOT));
        }
        if (user != null) {
            where.append(" and m.authUser = :user");
            params.and("user", user);
        }
        if (state != null || domain != null) {
            where.append(" and exists (select 1 from Recipient r where r.queueId = m.queueId");
            if (state != null) {
                where.append(" and r.state = :state");
                params.and("state", parseState(state));
            }
            if (domain != null) {
                where.append(" and r.domain = :domain");
                params.and("domain", domain.toLowerCase(Locale.ROOT));
            }
            where.append(')');
        }
        String query = where.toString();
        return Panache.withSession(() -> QueuedMessage.count(query, params)
                .chain(total -> QueuedMessage.<QueuedMessage>find(query + " order by m.queueId", params)
                        .page(page, size).list()
                        .chain(messages -> recipientsOf(messages).map(byMessage -> new QueuePage(page, size, total,
                                messages.stream().map(m -> summary(m, byMessage.getOrDefault(m.queueId, List.of())))
                                        .toList())))));
    }

    /** A message with its envelope and every recipient's attempt history. */
    @GET
    @Path("/messages/{queueId}")
    public Uni<MessageDetail> detail(@PathParam("queueId") String queueId) {
        return Panache.withSession(() -> message(queueId).chain(m -> Recipient
                .<Recipient>list("queueId = ?1 order by position", queueId)
                .chain(rcpts -> Attempt.<Attempt>list("recipientId in ?1 order by finishedAt, id",
                                rcpts.stream().map(r -> r.id).toList())
                        .map(attempts -> {
                            Map<Long, List<AttemptView>> history = attempts.stream().collect(Collectors.groupingBy(
                                    a -> a.recipientId, LinkedHashMap::new,
                                    Collectors.mapping(QueueResource::view, Collectors.toList())));
                            return new MessageDetail(m.queueId, m.mailFrom, m.authUser, m.clientIp, m.envid,
                                    m.ret == null ? null : m.ret.name(), m.receivedAt, m.queuedAt, m.size, m.dsn,
                                    envelope(m), rcpts.stream().map(r -> view(r, history.getOrDefault(r.id, List.of())))
                                            .toList());
                        }))));
    }

    /** {@code postsuper -r}: deferred recipients are retried at the scheduler's next pass. */
    @POST
    @Path("/messages/{queueId}/retry")
    public Uni<ActionResult> retry(@PathParam("queueId") String queueId) {
        Instant now = Instant.now();
        return act(queueId, "retry", () -> Recipient.update("nextAttemptAt = ?1, updatedAt = ?1 where queueId = ?2 and state = ?3",
                now, queueId, RecipientState.DEFERRED));
    }

    /** {@code postsuper -h}: pending recipients are held; results still arriving for them are recorded. */
    @POST
    @Path("/messages/{queueId}/hold")
    public Uni<ActionResult> hold(@PathParam("queueId") String queueId) {
        Instant now = Instant.now();
        return act(queueId, "hold", () -> Recipient.update(
                "state = ?1, nextAttemptAt = null, updatedAt = ?2 where queueId = ?3 and state in ?4",
                RecipientState.HELD, now, queueId,
                List.of(RecipientState.QUEUED, RecipientState.DELIVERING, RecipientState.DEFERRED)));
    }

    /** {@code postsuper -H}: held recipients become deferred and due now. */
    @POST
    @Path("/messages/{queueId}/release")
    public Uni<ActionResult> release(@PathParam("queueId") String queueId) {
        Instant now = Instant.now();
        return act(queueId, "release", () -> Recipient.update(
                "state = ?1, nextAttemptAt = ?2, updatedAt = ?2 where queueId = ?3 and state = ?4",
                RecipientState.DEFERRED, now, queueId, RecipientState.HELD));
    }

    /** {@code postsuper -f} (force expiry): pending recipients fail now and the sender gets a DSN as for any bounce. */
    @POST
    @Path("/messages/{queueId}/bounce")
    public Uni<ActionResult> bounce(@PathParam("queueId") String queueId) {
        String operator = identity.getPrincipal().getName();
        return act(queueId, "bounce", () -> message(queueId).chain(m -> Recipient
                        .<Recipient>list("queueId = ?1 and state in ?2", queueId, PENDING)
                        .map(rcpts -> {
                            Instant now = Instant.now();
                            for (Recipient r : rcpts) {
                                r.finishLocally(RecipientState.BOUNCED, "5.0.0", "bounced by operator " + operator,
                                        m.dsnAllowed(), now);
                            }
                            return rcpts.size();
                        })))
                .call(result -> dsn.flush(Set.of(queueId)));
    }

    /** {@code postsuper -d}: the message and all its state are removed without any notice. */
    @DELETE
    @Path("/messages/{queueId}")
    @RolesAllowed(ADMIN)
    public Uni<ActionResult> delete(@PathParam("queueId") String queueId) {
        return Panache.withTransaction(() -> QueuedMessage.delete("queueId", queueId)).map(n -> {
            if (n == 0) {
                throw new NotFoundException("no message " + queueId);
            }
            QueueIdLog.infof(LOG, "queueId=%s deleted by %s", queueId, identity.getPrincipal().getName());
            return new ActionResult(queueId, "delete", 0);
        }).call(this::audited);
    }

    /** Counts by state and the oldest message still pending ({@code qshape}-like overview). */
    @GET
    @Path("/stats")
    public Uni<QueueStats> stats() {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s
                .createNativeQuery("select state, count(*) from queue.recipient group by state", Object[].class)
                .getResultList()
                .chain(rows -> s.createNativeQuery("""
                                select count(*), min(m.received_at) from queue.message m
                                 where exists (select 1 from queue.recipient r where r.queue_id = m.queue_id
                                               and r.state in ('queued', 'delivering', 'deferred', 'held'))""",
                                Object[].class)
                        .getSingleResult()
                        .map(pending -> {
                            Map<String, Long> byState = new LinkedHashMap<>();
                            for (RecipientState st : RecipientState.values()) {
                                byState.put(st.dbValue(), 0L);
                            }
                            for (Object[] row : rows) {
                                byState.put((String) row[0], ((Number) row[1]).longValue());
                            }
                            return new QueueStats(((Number) pending[0]).longValue(), byState, toInstant(pending[1]));
                        }))));
    }

    private Uni<ActionResult> act(String queueId, String action, java.util.function.Supplier<Uni<Integer>> change) {
        return Panache.withTransaction(() -> message(queueId).chain(m -> change.get())).map(n -> {
            QueueIdLog.infof(LOG, "queueId=%s %s by %s: %d recipient(s)", queueId, action, identity.getPrincipal().getName(), n);
            return new ActionResult(queueId, action, n);
        }).call(this::audited);
    }

    /** Every operator action on a message goes to the audit record (docs/abuse.md, "Audit record"). */
    private Uni<AuditEntry> audited(ActionResult r) {
        return audit.record(new AuditEntry(0, Instant.now(), identity.getPrincipal().getName(), false,
                "queue." + r.action(), "message", r.queueId(), null, null, null, null,
                r.recipients() + " recipient(s)"));
    }

    private static Uni<QueuedMessage> message(String queueId) {
        return QueuedMessage.<QueuedMessage>findById(queueId).onItem().ifNull()
                .failWith(() -> new NotFoundException("no message " + queueId));
    }

    private static Uni<Map<String, List<Recipient>>> recipientsOf(List<QueuedMessage> messages) {
        if (messages.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Recipient.<Recipient>list("queueId in ?1 order by queueId, position",
                        messages.stream().map(m -> m.queueId).toList())
                .map(rcpts -> rcpts.stream().collect(Collectors.groupingBy(r -> r.queueId, LinkedHashMap::new,
                        Collectors.toCollection(ArrayList::new))));
    }

    private static MessageSummary summary(QueuedMessage m, List<Recipient> rcpts) {
        return new MessageSummary(m.queueId, m.mailFrom, m.authUser, m.receivedAt, m.size, m.dsn,
                rcpts.stream().map(r -> view(r, null)).toList());
    }

    private static RecipientView view(Recipient r, List<AttemptView> history) {
        return new RecipientView(r.id, r.address, r.state.dbValue(), r.attempts, r.nextAttemptAt, r.lastAttemptAt,
                r.replyCode, r.enhancedCode, r.diagnostic, r.remoteMta, history);
    }

    private static AttemptView view(Attempt a) {
        return new AttemptView(a.deliveryId, a.attempt, a.status, a.replyCode, a.enhancedCode, a.diagnostic,
                a.remoteMta, a.finishedAt);
    }

    private JsonNode envelope(QueuedMessage m) {
        try {
            return json.readTree(m.envelopeJson);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RecipientState parseState(String state) {
        try {
            return RecipientState.ofDb(state);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("unknown state " + state);
        }
    }

    private static Instant toInstant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.time.LocalDateTime l) {
            return l.toInstant(java.time.ZoneOffset.UTC);
        }
        return Instant.parse(value.toString());
    }
}
