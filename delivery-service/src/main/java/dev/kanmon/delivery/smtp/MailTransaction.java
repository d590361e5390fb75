package dev.kanmon.delivery.smtp;

import dev.kanmon.core.queue.BodyType;
import dev.kanmon.core.queue.DeliveryRecipient;
import dev.kanmon.core.queue.DeliveryRequest;
import dev.kanmon.core.queue.RecipientResult;
import dev.kanmon.core.queue.RecipientStatus;
import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.delivery.config.DeliveryConfig;
import dev.kanmon.delivery.metrics.DeliveryMetrics;
import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One mail transaction (MAIL, RCPT..., DATA, message) on a ready session. MAIL and the RCPTs go out in one
 * batch when the peer offers PIPELINING. Recipients the server accepted share the final reply to the
 * message; refused ones keep their RCPT reply; a refused MAIL or DATA applies to every recipient concerned.
 */
@ApplicationScoped
public class MailTransaction {

    private final DeliveryConfig.Smtp smtp;
    private final DeliveryMetrics metrics;

    public MailTransaction(DeliveryConfig config, DeliveryMetrics metrics) {
        this.smtp = config.smtp();
        this.metrics = metrics;
    }

    public Future<TransactionResult> run(SmtpConnection conn, OutboundMessage message) {
        DeliveryRequest request = message.request();
        String mta = conn.hostName();
        Optional<RecipientResult[]> refused = precheck(conn.capabilities(), message, mta);
        if (refused.isPresent()) {
            return Future.succeededFuture(new TransactionResult(List.of(refused.get()), true));
        }
        Capabilities caps = conn.capabilities();
        boolean reused = conn.messages() > 0;
        long repliesBefore = conn.repliesReceived();
        String mail = MailCommands.mailFrom(request, caps, message.size());
        List<String> rcpts = request.recipients().stream().map(r -> MailCommands.rcptTo(r, caps)).toList();
        long started = System.nanoTime();
        conn.enter(SessionState.MAIL);
        Future<List<SmtpReply>> envelope;
        if (caps.pipelining()) {
            List<String> batch = new ArrayList<>(rcpts.size() + 1);
            batch.add(mail);
            batch.addAll(rcpts);
            envelope = conn.pipeline(batch, smtp.commandTimeout());
        } else {
            envelope = sequential(conn, mail, rcpts);
        }
        return envelope.recover(e -> Future.failedFuture(reused && conn.repliesReceived() == repliesBefore
                        ? new StaleConnectionException(e) : e))
                .compose(replies -> {
                    metrics.phase("envelope", Duration.ofNanos(System.nanoTime() - started));
                    return afterEnvelope(conn, message, replies);
                }, e -> {
                    if (e instanceof StaleConnectionException) {
                        return Future.failedFuture(e);
                    }
                    return Future.succeededFuture(allResults(request, RecipientStatus.DEFERRED, 0, "4.4.2",
                            "lost connection with " + mta + " during the envelope: " + e.getMessage(), mta, false));
                });
    }

    /** Sends MAIL, then each RCPT only after the previous reply; stops at a refused MAIL. */
    private Future<List<SmtpReply>> sequential(SmtpConnection conn, String mail, List<String> rcpts) {
        return conn.command(mail, smtp.commandTimeout()).compose(mailReply -> {
            List<SmtpReply> replies = new ArrayList<>();
            replies.add(mailReply);
            if (mailReply.code() / 100 != 2) {
                return Future.succeededFuture(replies);
            }
            Future<Void> chain = Future.succeededFuture();
            for (String rcpt : rcpts) {
                chain = chain.compose(v -> conn.command(rcpt, smtp.commandTimeout()).map(r -> {
                    replies.add(r);
                    return null;
                }));
            }
            return chain.map(v -> replies);
        });
    }

    private Future<TransactionResult> afterEnvelope(SmtpConnection conn, OutboundMessage message, List<SmtpReply> replies) {
        DeliveryRequest request = message.request();
        String mta = conn.hostName();
        SmtpReply mailReply = replies.get(0);
        if (mailReply.code() / 100 != 2) {
            TransactionResult refused = allFromReply(request.recipients(), mailReply, mta);
            return reset(conn, refused);
        }
        conn.enter(SessionState.RCPT);
        List<RecipientResult> results = new ArrayList<>(request.recipients().size());
        List<DeliveryRecipient> accepted = new ArrayList<>();
        for (int i = 0; i < request.recipients().size(); i++) {
            DeliveryRecipient r = request.recipients().get(i);
            SmtpReply reply = replies.get(i + 1);
            if (reply.code() / 100 == 2) {
                accepted.add(r);
            } else {
                results.add(ReplyMapping.fromReply(r, reply, mta));
            }
        }
        if (accepted.isEmpty()) {
            return reset(conn, new TransactionResult(results, true));
        }
        long started = System.nanoTime();
        conn.enter(SessionState.DATA);
        return conn.command("DATA", smtp.dataInitTimeout()).compose(data -> {
            if (data.code() != 354) {
                results.addAll(allFromReply(accepted, data, mta).results());
                return reset(conn, new TransactionResult(results, true));
            }
            conn.enter(SessionState.BODY);
            return conn.body(message.stuffed(), smtp.dataBlockTimeout(), smtp.dataEndTimeout()).map(end -> {
                metrics.phase("data", Duration.ofNanos(System.nanoTime() - started));
                conn.enter(SessionState.READY);
                conn.countMessage();
                results.addAll(allFromReply(accepted, end, mta).results());
                return new TransactionResult(results, true);
            });
        }, e -> Future.failedFuture(e)).recover(e -> {
            // the outcome of the message is unknown: defer, accepting a possible duplicate (RFC 5321 §6.1)
            for (DeliveryRecipient r : accepted) {
                if (results.stream().noneMatch(x -> x.recipientId() == r.recipientId())) {
                    results.add(ReplyMapping.local(r, RecipientStatus.DEFERRED, 0, "4.4.2",
                            "lost connection with " + mta + " during DATA: " + e.getMessage(), mta));
                }
            }
            return Future.succeededFuture(new TransactionResult(results, false));
        });
    }

    /** RSET after an unfinished transaction so that the connection can carry the next message. */
    private Future<TransactionResult> reset(SmtpConnection conn, TransactionResult result) {
        conn.enter(SessionState.RSET);
        return conn.command("RSET", smtp.commandTimeout())
                .map(r -> {
                    boolean clean = r.code() / 100 == 2;
                    if (clean) {
                        conn.enter(SessionState.READY);
                    }
                    return new TransactionResult(result.results(), clean);
                })
                .otherwise(new TransactionResult(result.results(), false));
    }

    /** Refusals decided from the announced capabilities, before anything is sent. */
    private static Optional<RecipientResult[]> precheck(Capabilities caps, OutboundMessage message, String mta) {
        DeliveryRequest request = message.request();
        if (caps.maxSize() > 0 && message.size() > caps.maxSize()) {
            return Optional.of(all(request, RecipientStatus.FAILED, 552, "5.3.4",
                    "message size " + message.size() + " exceeds the fixed limit " + caps.maxSize() + " of " + mta, mta));
        }
        if (request.smtpUtf8() && !caps.smtpUtf8()) {
            // RFC 6531 §3.4: without SMTPUTF8 at the next hop the message cannot be delivered
            return Optional.of(all(request, RecipientStatus.FAILED, 553, "5.6.7",
                    mta + " does not support SMTPUTF8, required by this message", mta));
        }
        if (request.bodyType() == BodyType.EIGHT_BIT_MIME && !caps.eightBitMime()) {
            // RFC 6152 §3: convert or bounce; Kanmon does not downgrade to 7bit
            return Optional.of(all(request, RecipientStatus.FAILED, 554, "5.6.3",
                    mta + " does not support 8BITMIME, required by this message", mta));
        }
        if (request.bodyType() == BodyType.BINARY_MIME) {
            return Optional.of(all(request, RecipientStatus.FAILED, 554, "5.6.3",
                    "BINARYMIME needs BDAT, which this relay does not send", mta));
        }
        return Optional.empty();
    }

    private static RecipientResult[] all(DeliveryRequest request, RecipientStatus status, int code, String enhanced,
            String text, String mta) {
        return request.recipients().stream()
                .map(r -> ReplyMapping.local(r, status, code, enhanced, text, mta))
                .toArray(RecipientResult[]::new);
    }

    private static TransactionResult allResults(DeliveryRequest request, RecipientStatus status, int code, String enhanced,
            String text, String mta, boolean reusable) {
        return new TransactionResult(List.of(all(request, status, code, enhanced, text, mta)), reusable);
    }

    private static TransactionResult allFromReply(List<DeliveryRecipient> recipients, SmtpReply reply, String mta) {
        return new TransactionResult(recipients.stream().map(r -> ReplyMapping.fromReply(r, reply, mta)).toList(), true);
    }
}
