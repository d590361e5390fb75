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
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One mail transaction (MAIL, RCPT..., DATA, message) on a ready session. MAIL, the RCPTs and DATA go out in
 * one write when the peer offers PIPELINING (RFC 2920), so a message costs one round trip before the body.
 * Recipients the server accepted share the final reply to the message; refused ones keep their RCPT reply; a
 * refused MAIL or DATA applies to every recipient concerned.
 */
@ApplicationScoped
public class MailTransaction {

    /** End of data right after the 354: an empty message. */
    private static final Buffer EMPTY_BODY = Buffer.buffer(".\r\n");

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
            // RFC 2920 §3.1: DATA may end the batch; its reply tells whether to send the message
            List<SmtpConnection.Command> batch = new ArrayList<>(rcpts.size() + 2);
            batch.add(new SmtpConnection.Command(mail, smtp.commandTimeout()));
            rcpts.forEach(rcpt -> batch.add(new SmtpConnection.Command(rcpt, smtp.commandTimeout())));
            batch.add(new SmtpConnection.Command("DATA", smtp.dataInitTimeout()));
            envelope = conn.pipeline(batch);
        } else {
            envelope = sequential(conn, mail, rcpts);
        }
        return envelope.recover(e -> Future.failedFuture(reused && conn.repliesReceived() == repliesBefore
                        ? new StaleConnectionException(e) : e))
                .compose(replies -> {
                    metrics.phase("envelope", Duration.ofNanos(System.nanoTime() - started));
                    return afterEnvelope(conn, message, replies, caps.pipelining(), started);
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

    /**
     * Maps the MAIL and RCPT replies (and, when pipelined, DATA's reply, the last one) to recipients, then sends
     * DATA if it was not pipelined and there is a recipient to send it for.
     */
    private Future<TransactionResult> afterEnvelope(SmtpConnection conn, OutboundMessage message, List<SmtpReply> replies,
            boolean dataSent, long started) {
        DeliveryRequest request = message.request();
        String mta = conn.hostName();
        SmtpReply mailReply = replies.get(0);
        List<RecipientResult> results = new ArrayList<>(request.recipients().size());
        List<DeliveryRecipient> accepted = new ArrayList<>();
        if (mailReply.code() / 100 != 2) {
            // the RCPT replies after a refused MAIL (503 "need MAIL") say nothing about the recipients
            results.addAll(allFromReply(request.recipients(), mailReply, mta).results());
        } else {
            conn.enter(SessionState.RCPT);
            for (int i = 0; i < request.recipients().size(); i++) {
                DeliveryRecipient r = request.recipients().get(i);
                SmtpReply reply = replies.get(i + 1);
                if (reply.code() / 100 == 2) {
                    accepted.add(r);
                } else {
                    results.add(ReplyMapping.fromReply(r, reply, mta));
                }
            }
        }
        if (dataSent) {
            conn.enter(SessionState.DATA);
            return afterData(conn, message, results, accepted, replies.get(replies.size() - 1), started);
        }
        if (accepted.isEmpty()) {
            return reset(conn, new TransactionResult(results, true));
        }
        conn.enter(SessionState.DATA);
        return conn.command("DATA", smtp.dataInitTimeout())
                .compose(data -> afterData(conn, message, results, accepted, data, started))
                .recover(e -> lostDuringData(results, accepted, mta, e));
    }

    /** Sends the message after a 354, or applies a refused DATA to the accepted recipients and resets. */
    private Future<TransactionResult> afterData(SmtpConnection conn, OutboundMessage message, List<RecipientResult> results,
            List<DeliveryRecipient> accepted, SmtpReply data, long started) {
        String mta = conn.hostName();
        if (data.code() != 354) {
            results.addAll(allFromReply(accepted, data, mta).results());
            return reset(conn, new TransactionResult(results, true));
        }
        conn.enter(SessionState.BODY);
        if (accepted.isEmpty()) {
            // A pipelined DATA the server accepted without any recipient: end it with an empty body and ignore
            // the reply, as Postfix's smtp(8) does; there is nobody for the server to deliver it to.
            return conn.body(EMPTY_BODY, smtp.dataBlockTimeout(), smtp.dataEndTimeout()).map(end -> {
                conn.enter(SessionState.READY);
                return new TransactionResult(results, true);
            }).otherwise(new TransactionResult(results, false));
        }
        return conn.body(message.stuffed(), smtp.dataBlockTimeout(), smtp.dataEndTimeout()).map(end -> {
            metrics.phase("data", Duration.ofNanos(System.nanoTime() - started));
            conn.enter(SessionState.READY);
            conn.countMessage();
            results.addAll(allFromReply(accepted, end, mta).results());
            return new TransactionResult(results, true);
        }).recover(e -> lostDuringData(results, accepted, mta, e));
    }

    /** The outcome of the message is unknown: defer, accepting a possible duplicate (RFC 5321 §6.1). */
    private static Future<TransactionResult> lostDuringData(List<RecipientResult> results, List<DeliveryRecipient> accepted,
            String mta, Throwable e) {
        for (DeliveryRecipient r : accepted) {
            if (results.stream().noneMatch(x -> x.recipientId() == r.recipientId())) {
                results.add(ReplyMapping.local(r, RecipientStatus.DEFERRED, 0, "4.4.2",
                        "lost connection with " + mta + " during DATA: " + e.getMessage(), mta));
            }
        }
        return Future.succeededFuture(new TransactionResult(results, false));
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
