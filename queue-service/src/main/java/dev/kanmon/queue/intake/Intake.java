package dev.kanmon.queue.intake;

import dev.kanmon.core.log.QueueIdLog;
import dev.kanmon.core.queue.DeliveryRequest;
import dev.kanmon.core.queue.EnvelopeRecipient;
import dev.kanmon.queue.abuse.AbuseObservations;
import dev.kanmon.queue.dispatch.DeliveryPlanner;
import dev.kanmon.queue.dispatch.OutboundPublisher;
import dev.kanmon.queue.metrics.QueueMetrics;
import dev.kanmon.queue.store.QueuedMessage;
import dev.kanmon.queue.store.Recipient;
import dev.kanmon.queue.store.RecipientRows;
import dev.kanmon.queue.store.RecipientState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Takes one poll of submitted messages into the queue with a handful of statements, whatever its size:
 * <ol>
 * <li>one transaction: insert the new messages (one multi-row insert; a queue id already stored is skipped and
 * not returned, which is the batch's existence check) and their recipients (one multi-row insert, already
 * {@code delivering} with the delivery id and attempt 1 of their request, or {@code deferred} until
 * NOT-BEFORE); for messages that were already stored, load the recipients whose request may not have gone
 * out (see below);</li>
 * <li>publish every delivery request and wait for the acknowledgements;</li>
 * <li>raise the partition's published mark ({@code intake_progress}) to the batch's last offset.</li>
 * </ol>
 * The caller commits the Kafka offsets only after this completes, so a crash at any step replays the batch.
 * A replayed record whose message is stored, whose offset is the one on the message row and lies above the
 * published mark may have been stored without its requests being acknowledged: its recipients still
 * {@code delivering} attempt 1 (no result yet) are published again with their stored delivery ids
 * (at-least-once towards the delivery service; a duplicate's result is applied once). A record at or below the
 * mark was published, and another record with the same queue id (a duplicate submission) leaves publishing to the
 * record that stored the message. The body is not copied into PostgreSQL: retries and DSNs read it back from the
 * record ({@code BodyStore}).
 */
@ApplicationScoped
public class Intake {

    private static final Logger LOG = Logger.getLogger(Intake.class);

    private static final String INSERT_MESSAGES = """
            insert into queue.message (queue_id, mail_from, auth_user, client_ip, envid, ret, body_type, smtp_utf8,
                                       is_dsn, size, received_at, queued_at, intake_topic, intake_partition,
                                       intake_offset, envelope_json)
            select m.queue_id, m.mail_from, m.auth_user, m.client_ip, m.envid, m.ret, m.body_type, m.smtp_utf8,
                   m.is_dsn, m.size, m.received_at, $1, $2, m.intake_partition, m.intake_offset, m.envelope_json
              from unnest($3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[], $7::varchar[], $8::varchar[],
                          $9::varchar[], $10::boolean[], $11::boolean[], $12::bigint[], $13::timestamptz[],
                          $14::int[], $15::bigint[], $16::text[])
                   as m(queue_id, mail_from, auth_user, client_ip, envid, ret, body_type, smtp_utf8, is_dsn, size,
                        received_at, intake_partition, intake_offset, envelope_json)
            on conflict (queue_id) do nothing
            returning queue_id""";

    private static final String INSERT_RECIPIENTS = """
            insert into queue.recipient (queue_id, position, address, domain, notify, orcpt, state, attempts,
                                         next_attempt_at, last_attempt_at, delivery_id, updated_at)
            select r.queue_id, r.position, r.address, r.domain, r.notify, r.orcpt, r.state, r.attempts,
                   r.next_attempt_at, case when r.state = 'delivering' then $1::timestamptz end, r.delivery_id, $1
              from unnest($2::varchar[], $3::int[], $4::varchar[], $5::varchar[], $6::varchar[], $7::varchar[],
                          $8::varchar[], $9::int[], $10::timestamptz[], $11::varchar[])
                   as r(queue_id, position, address, domain, notify, orcpt, state, attempts, next_attempt_at,
                        delivery_id)
            returning id, queue_id, position""";

    // 'queued': rows of the previous intake, which marked recipients delivering only after the acknowledgements
    private static final String UNPUBLISHED = "select " + RecipientRows.COLUMNS + """

              from unnest($2::varchar[], $3::int[], $4::bigint[]) as s(queue_id, intake_partition, intake_offset)
              join queue.message m on m.queue_id = s.queue_id
              join queue.recipient r on r.queue_id = m.queue_id
              left join queue.intake_progress p on p.topic = m.intake_topic and p.partition = m.intake_partition
             where r.state = 'queued'
                or (r.state = 'delivering' and r.attempts = 1 and m.intake_topic = $1
                    and m.intake_partition = s.intake_partition and m.intake_offset = s.intake_offset
                    and (p.published_offset is null or p.published_offset < s.intake_offset))
             order by r.queue_id, r.position""";

    private static final String MARK_PUBLISHED = """
            insert into queue.intake_progress as p (topic, partition, published_offset)
            select $1, w.partition, w.published_offset from unnest($2::int[], $3::bigint[]) as w(partition, published_offset)
            on conflict (topic, partition) do update set published_offset = greatest(p.published_offset, excluded.published_offset)""";

    @Inject
    Pool pool;

    @Inject
    OutboundPublisher publisher;

    @Inject
    QueueMetrics metrics;

    @Inject
    AbuseObservations abuse;

    /** The requests of one message and the bytes they carry. */
    private record Dispatch(List<DeliveryRequest> requests, byte[] body) {
    }

    /** A message of the batch as it would be stored, with its recipients (ids assigned by the insert). */
    private record Planned(Submission submission, QueuedMessage message, List<Recipient> recipients) {
    }

    public Uni<Void> accept(List<Submission> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // a queue id twice in one poll (a duplicate submission): the first record stores and publishes it
        Map<String, Submission> byId = new LinkedHashMap<>();
        batch.forEach(s -> byId.putIfAbsent(s.envelope().queueId(), s));
        String topic = batch.get(0).topic();
        Instant now = Instant.now();
        Set<String> users = new HashSet<>();
        byId.values().forEach(s -> users.add(s.envelope().authUser()));
        Set<String> stored = new HashSet<>();
        // messages of a subscriber the abuse automation holds are stored held, not dispatched (docs/abuse.md)
        return abuse.held(users).chain(held -> {
            List<Planned> planned = byId.values().stream()
                    .map(s -> plan(s, now, held.contains(s.envelope().authUser()))).toList();
            return pool.withTransaction(conn -> insertMessages(conn, topic, planned, now).invoke(stored::addAll)
                            .chain(inserted -> insertRecipients(conn, planned, inserted, now)
                                    .chain(fresh -> unpublished(conn, topic, planned, inserted).map(replayed -> {
                                        List<Dispatch> all = new ArrayList<>(fresh);
                                        all.addAll(replayed);
                                        return all;
                                    }))))
                    .chain(this::publishAll)
                    .chain(() -> markPublished(topic, batch))
                    .chain(() -> abuse.submitted(planned.stream().filter(p -> stored.contains(p.message().queueId))
                            .map(p -> AbuseObservations.facts(p.submission().envelope(), p.submission().body()))
                            .toList()));
        });
    }

    private static Planned plan(Submission s, Instant now, boolean held) {
        QueuedMessage message = QueuedMessage.of(s.envelope(), s.topic(), s.partition(), s.offset(), now);
        Instant notBefore = s.envelope().notBefore();
        boolean later = notBefore != null && notBefore.isAfter(now);
        List<EnvelopeRecipient> rcpts = s.envelope().recipients();
        List<Recipient> recipients = new ArrayList<>(rcpts.size());
        RecipientState initial = held ? RecipientState.HELD
                : later ? RecipientState.DEFERRED : RecipientState.DELIVERING;
        for (int i = 0; i < rcpts.size(); i++) {
            Recipient r = Recipient.of(message.queueId, i, rcpts.get(i), initial, now);
            r.nextAttemptAt = initial == RecipientState.DEFERRED ? notBefore : null;
            recipients.add(r);
        }
        if (initial == RecipientState.DELIVERING) {
            DeliveryPlanner.assign(recipients);
        }
        return new Planned(s, message, recipients);
    }

    /** Inserts the messages not stored yet; returns their queue ids. */
    private static Uni<Set<String>> insertMessages(SqlConnection conn, String topic, List<Planned> planned, Instant now) {
        int n = planned.size();
        String[] ids = new String[n], from = new String[n], user = new String[n], ip = new String[n],
                envid = new String[n], ret = new String[n], bodyType = new String[n], json = new String[n];
        Boolean[] utf8 = new Boolean[n], dsn = new Boolean[n];
        Long[] size = new Long[n], offset = new Long[n];
        OffsetDateTime[] received = new OffsetDateTime[n];
        Integer[] partition = new Integer[n];
        for (int i = 0; i < n; i++) {
            QueuedMessage m = planned.get(i).message();
            ids[i] = m.queueId;
            from[i] = m.mailFrom;
            user[i] = m.authUser;
            ip[i] = m.clientIp;
            envid[i] = m.envid;
            ret[i] = m.ret == null ? null : m.ret.name();
            bodyType[i] = m.bodyType.name();
            utf8[i] = m.smtpUtf8;
            dsn[i] = m.dsn;
            size[i] = m.size;
            received[i] = utc(m.receivedAt);
            partition[i] = m.intakePartition;
            offset[i] = m.intakeOffset;
            json[i] = m.envelopeJson;
        }
        Tuple args = Tuple.from(List.of(utc(now), topic, ids, from, user, ip, envid, ret, bodyType, utf8, dsn, size,
                received, partition, offset, json));
        return conn.preparedQuery(INSERT_MESSAGES).execute(args).map(rows -> {
            Set<String> inserted = new HashSet<>();
            rows.forEach(row -> inserted.add(row.getString("queue_id")));
            return inserted;
        });
    }

    /** Inserts the recipients of the new messages; returns the requests of those due now. */
    private Uni<List<Dispatch>> insertRecipients(SqlConnection conn, List<Planned> planned, Set<String> inserted,
            Instant now) {
        List<Planned> fresh = planned.stream().filter(p -> inserted.contains(p.message().queueId)).toList();
        List<Recipient> all = fresh.stream().flatMap(p -> p.recipients().stream()).toList();
        if (all.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        int n = all.size();
        String[] queueId = new String[n], address = new String[n], domain = new String[n], notify = new String[n],
                orcpt = new String[n], state = new String[n], deliveryId = new String[n];
        Integer[] position = new Integer[n], attempts = new Integer[n];
        OffsetDateTime[] next = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Recipient r = all.get(i);
            queueId[i] = r.queueId;
            position[i] = r.position;
            address[i] = r.address;
            domain[i] = r.domain;
            notify[i] = r.notify;
            orcpt[i] = r.orcpt;
            state[i] = r.state.dbValue();
            attempts[i] = r.attempts;
            next[i] = utc(r.nextAttemptAt);
            deliveryId[i] = r.deliveryId;
        }
        Tuple args = Tuple.from(List.of(utc(now), queueId, position, address, domain, notify, orcpt, state, attempts,
                next, deliveryId));
        return conn.preparedQuery(INSERT_RECIPIENTS).execute(args).map(rows -> {
            Map<String, Long> ids = new HashMap<>(n * 2);
            rows.forEach(row -> ids.put(row.getString("queue_id") + '/' + row.getInteger("position"), row.getLong("id")));
            all.forEach(r -> r.id = ids.get(r.queueId + '/' + r.position));
            List<Dispatch> dispatches = new ArrayList<>(fresh.size());
            for (Planned p : fresh) {
                QueuedMessage m = p.message();
                metrics.intaken(m.dsn);
                RecipientState initial = p.recipients().get(0).state;
                QueueIdLog.debugf(LOG, "queueId=%s queued from=<%s> user=%s rcpts=%d size=%d%s", m.queueId, m.mailFrom,
                        m.authUser, p.recipients().size(), m.size, initial == RecipientState.DEFERRED
                                ? " not-before=" + p.recipients().get(0).nextAttemptAt
                                : initial == RecipientState.HELD ? " held (abuse)" : "");
                if (initial == RecipientState.DELIVERING) {
                    dispatches.add(new Dispatch(DeliveryPlanner.requests(m, p.recipients()), p.submission().body()));
                }
            }
            return dispatches;
        });
    }

    /** For replayed records: the recipients whose request may not have been acknowledged, to publish again. */
    private static Uni<List<Dispatch>> unpublished(SqlConnection conn, String topic, List<Planned> planned,
            Set<String> inserted) {
        List<Planned> replayed = planned.stream().filter(p -> !inserted.contains(p.message().queueId)).toList();
        if (replayed.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        int n = replayed.size();
        String[] ids = new String[n];
        Integer[] partition = new Integer[n];
        Long[] offset = new Long[n];
        for (int i = 0; i < n; i++) {
            Submission s = replayed.get(i).submission();
            ids[i] = s.envelope().queueId();
            partition[i] = s.partition();
            offset[i] = s.offset();
        }
        return conn.preparedQuery(UNPUBLISHED).execute(Tuple.of(topic, ids, partition, offset)).map(rows -> {
            Map<String, List<Recipient>> byMessage = new LinkedHashMap<>();
            for (Row row : rows) {
                Recipient r = RecipientRows.recipient(row);
                byMessage.computeIfAbsent(r.queueId, id -> new ArrayList<>()).add(r);
            }
            List<Dispatch> dispatches = new ArrayList<>(byMessage.size());
            for (Planned p : replayed) {
                List<Recipient> rcpts = byMessage.get(p.message().queueId);
                QueueIdLog.infof(LOG, "queueId=%s redelivered, %d recipient(s) published again", p.message().queueId,
                        rcpts == null ? 0 : rcpts.size());
                if (rcpts != null) {
                    dispatches.add(new Dispatch(DeliveryPlanner.requests(p.message(), rcpts), p.submission().body()));
                }
            }
            return dispatches;
        });
    }

    private Uni<Void> publishAll(List<Dispatch> dispatches) {
        List<Uni<Void>> sends = dispatches.stream().map(d -> publisher.publish(d.requests(), d.body())).toList();
        return sends.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(sends).andFailFast().replaceWithVoid();
    }

    /** Records that every record of the batch up to its last offset per partition has been published. */
    private Uni<Void> markPublished(String topic, List<Submission> batch) {
        Map<Integer, Long> last = new TreeMap<>(); // sorted: concurrent upserts lock the rows in the same order
        batch.forEach(s -> last.merge(s.partition(), s.offset(), Math::max));
        Tuple args = Tuple.of(topic, last.keySet().toArray(Integer[]::new), last.values().toArray(Long[]::new));
        return pool.preparedQuery(MARK_PUBLISHED).execute(args).replaceWithVoid();
    }

    private static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }
}
