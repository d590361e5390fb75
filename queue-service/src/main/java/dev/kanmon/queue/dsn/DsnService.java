package dev.kanmon.queue.dsn;

import dev.kanmon.core.log.QueueIdLog;
import dev.kanmon.core.queue.Envelope;
import dev.kanmon.core.queue.EnvelopeRecipient;
import dev.kanmon.core.queue.Notify;
import dev.kanmon.core.queue.QueueId;
import dev.kanmon.core.queue.Topics;
import dev.kanmon.core.queue.WireCodec;
import dev.kanmon.queue.config.QueueConfig;
import dev.kanmon.queue.dispatch.OnContext;
import dev.kanmon.queue.metrics.QueueMetrics;
import dev.kanmon.queue.store.BodyStore;
import dev.kanmon.queue.store.DsnAction;
import dev.kanmon.queue.store.QueuedMessage;
import dev.kanmon.queue.store.Recipient;
import dev.kanmon.queue.store.RecipientState;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Sends the DSNs recipients owe their senders ({@code recipient.dsn_pending}, an outbox written in the same
 * transaction as the state change). A pass locks the pending rows ({@code FOR UPDATE SKIP LOCKED}, so replicas
 * never send the same report), builds one report per message, produces it to the submitted topic with the null
 * sender and clears the rows. A crash between produce and commit sends the report again: at least once.
 */
@ApplicationScoped
public class DsnService {

    private static final Logger LOG = Logger.getLogger(DsnService.class);

    private static final String LOCK_PENDING = """
            select r.id from queue.recipient r join queue.message m on m.queue_id = r.queue_id
             where r.dsn_pending is not null and m.intake_topic = :topic %s
             order by r.queue_id, r.position
             limit :limit
             for update of r skip locked""";

    private static final String COUNT_SENT = """
            insert into queue.dsn_quota as q (sender, window_start, sent) values (:sender, :window, 1)
            on conflict (sender, window_start) do update set sent = q.sent + 1
            returning sent""";

    @Inject
    QueueConfig config;

    @Inject
    QueueMetrics metrics;

    @Inject
    BodyStore bodies;

    @Inject
    @Channel("dsn")
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    MutinyEmitter<byte[]> emitter;

    private String reportingMta;

    @PostConstruct
    void init() {
        reportingMta = config.dsn().reportingMta().orElseGet(DsnService::localHostName);
    }

    /** Sends the DSNs owed by the given messages. */
    public Uni<Void> flush(Collection<String> queueIds) {
        return Panache.withTransaction(() -> lockPending(queueIds).chain(this::send));
    }

    /** Sends whatever DSNs are still owed (left over by a crash or a failed produce). */
    public Uni<Void> flushAll() {
        return Panache.withTransaction(() -> lockPending(null).chain(this::send));
    }

    private Uni<List<Recipient>> lockPending(Collection<String> queueIds) {
        String sql = LOCK_PENDING.formatted(queueIds == null ? "" : "and r.queue_id in (:ids)");
        return Panache.getSession().chain(s -> {
            var q = s.createNativeQuery(sql, Long.class)
                    .setParameter("topic", config.topics().submitted())
                    .setParameter("limit", config.retry().batchSize());
            if (queueIds != null) {
                q.setParameter("ids", List.copyOf(queueIds));
            }
            return q.getResultList();
        }).chain(ids -> ids.isEmpty() ? Uni.createFrom().item(List.<Recipient>of())
                : Recipient.<Recipient>list("id in ?1 order by queueId, position", ids));
    }

    private Uni<Void> send(List<Recipient> pending) {
        Map<String, List<Recipient>> byMessage = new LinkedHashMap<>();
        for (Recipient r : pending) {
            byMessage.computeIfAbsent(r.queueId, id -> new ArrayList<>()).add(r);
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (List<Recipient> rcpts : byMessage.values()) {
            chain = chain.chain(() -> sendOne(rcpts));
        }
        return chain;
    }

    private Uni<Void> sendOne(List<Recipient> rcpts) {
        String queueId = rcpts.get(0).queueId;
        return QueuedMessage.<QueuedMessage>findById(queueId).chain(m -> {
            if (!m.dsnAllowed()) {
                // the applier never owes these; an operator action may have, and backscatter is never sent
                clear(rcpts);
                metrics.dsnSuppressed("not-allowed");
                return Uni.createFrom().voidItem();
            }
            return countAgainstLimit(m.mailFrom).chain(sent -> {
                if (sent > config.dsn().rateLimit()) {
                    clear(rcpts);
                    metrics.dsnSuppressed("rate-limit");
                    QueueIdLog.warnf(LOG, "queueId=%s DSN to <%s> dropped: %d DSNs in the current window exceed %d", queueId,
                            m.mailFrom, sent, config.dsn().rateLimit());
                    return Uni.createFrom().voidItem();
                }
                return bodies.body(m).chain(body -> produce(m, body, rcpts));
            });
        });
    }

    private Uni<Integer> countAgainstLimit(String sender) {
        long window = config.dsn().rateWindow().toMillis();
        Instant start = Instant.ofEpochMilli(Instant.now().toEpochMilli() / window * window);
        return Panache.getSession().chain(s -> s.createNativeQuery(COUNT_SENT, Integer.class)
                .setParameter("sender", sender.toLowerCase(Locale.ROOT))
                .setParameter("window", start.atOffset(ZoneOffset.UTC))
                .getSingleResult());
    }

    private Uni<Void> produce(QueuedMessage m, byte[] body, List<Recipient> rcpts) {
        Instant now = Instant.now();
        List<DsnRecipient> reports = rcpts.stream().map(r -> report(m, r)).toList();
        DsnOriginal original = new DsnOriginal(m.queueId, m.mailFrom, m.envid, m.ret, m.receivedAt, m.bodyType,
                m.smtpUtf8, body == null ? new byte[0] : body); // null: gone from Kafka, nothing to return
        String dsnId = QueueId.next();
        DsnBuilder.Built built = new DsnBuilder(reportingMta, config.dsn().maxReturnedSize())
                .build(dsnId, original, reports, now);
        // RFC 3461 §6.2: a DSN is sent with the null reverse-path and never asks for DSNs itself
        Envelope envelope = new Envelope(dsnId, "", List.of(new EnvelopeRecipient(m.mailFrom, Set.of(Notify.NEVER), null)),
                null, null, built.bodyType(), m.smtpUtf8, null, null, reportingMta, null, null, now,
                built.content().length, 0, null, true);
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.ENVELOPE_HEADER, WireCodec.encode(envelope));
        Message<byte[]> record = Message.of(built.content()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(dsnId).withHeaders(headers).build());
        return OnContext.resumeHere(Uni.createFrom().deferred(() -> emitter.sendMessage(record)))
                .invoke(() -> {
                    for (DsnRecipient r : reports) {
                        metrics.dsnSent(r.action().keyword());
                    }
                    clear(rcpts);
                    QueueIdLog.infof(LOG, "queueId=%s DSN %s (%s) to <%s> for %d recipient(s)", m.queueId, dsnId,
                            built.subject(), m.mailFrom, rcpts.size());
                });
    }

    private DsnRecipient report(QueuedMessage m, Recipient r) {
        DsnAction action = DsnAction.valueOf(r.dsnPending);
        String status = switch (action) {
            case RELAYED -> r.enhancedCode != null && r.enhancedCode.startsWith("2.") ? r.enhancedCode : "2.0.0";
            case DELAYED -> r.enhancedCode != null && r.enhancedCode.startsWith("4.") ? r.enhancedCode : "4.0.0";
            case FAILED -> r.state == RecipientState.EXPIRED
                    ? (r.enhancedCode != null && r.enhancedCode.startsWith("4.") ? r.enhancedCode : "4.4.7")
                    : (r.enhancedCode != null && r.enhancedCode.startsWith("5.") ? r.enhancedCode : "5.0.0");
        };
        // The remote reply as it was said (code, enhanced code, text), as Postfix reports it.
        String diagnostic = r.replyCode != null && r.enhancedCode != null && r.diagnostic != null
                ? r.enhancedCode + " " + r.diagnostic : r.diagnostic;
        if (action == DsnAction.FAILED && r.state == RecipientState.EXPIRED && r.replyCode == null) {
            diagnostic = "delivery time expired" + (r.diagnostic == null ? "" : " (last error: " + r.diagnostic + ")");
        }
        Instant retryUntil = action == DsnAction.DELAYED ? m.receivedAt.plus(config.retry().maxLifetime()) : null;
        return new DsnRecipient(r.address, r.orcpt, action, status, r.replyCode, diagnostic, r.remoteMta,
                r.lastAttemptAt, retryUntil);
    }

    private static void clear(List<Recipient> rcpts) {
        for (Recipient r : rcpts) {
            r.dsnPending = null;
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
