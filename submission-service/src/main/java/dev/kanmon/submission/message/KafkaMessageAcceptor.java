package dev.kanmon.submission.message;

import dev.kanmon.core.log.QueueIdLog;
import dev.kanmon.core.queue.Envelope;
import dev.kanmon.core.queue.QueueId;
import dev.kanmon.core.queue.WireCodec;
import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.queue.SubmittedQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.jboss.logging.Logger;

/**
 * Applies the fix-ups, then produces the message to Kafka; the future succeeds only after the broker
 * acknowledged the record ({@code acks=all}).
 */
@ApplicationScoped
public class KafkaMessageAcceptor implements MessageAcceptor {

    private static final Logger LOG = Logger.getLogger(KafkaMessageAcceptor.class);

    static final SmtpReply QUEUE_UNAVAILABLE =
            SmtpReply.of(451, "4.3.0", "Queue temporarily unavailable, try again later");
    static final SmtpReply TOO_LARGE = SmtpReply.of(552, "5.3.4", "Message too big for system");

    private final MessageFixups fixups;
    private final SubmittedQueue queue;
    private final Vertx vertx;
    private final MeterRegistry registry;
    private final Counter accepted;
    private final Counter acceptedBytes;

    @Inject
    KafkaMessageAcceptor(MessageConfig config, SubmittedQueue queue, Vertx vertx, MeterRegistry registry) {
        this.fixups = new MessageFixups(config.hostname(), config.fromPolicy(), config.receivedAuth(), config.nulOctets());
        this.queue = queue;
        this.vertx = vertx;
        this.registry = registry;
        this.accepted = Counter.builder("kanmon.submission.messages.accepted")
                .description("Messages acknowledged by Kafka and answered 250")
                .register(registry);
        this.acceptedBytes = Counter.builder("kanmon.submission.messages.accepted.bytes")
                .description("Size of accepted messages as queued, fix-ups included")
                .baseUnit("bytes")
                .register(registry);
    }

    @Override
    public Future<AcceptedMessage> accept(Submission submission) {
        String queueId = QueueId.next();
        // The fix-ups copy the message once: cheap for a typical message, but up to SIZE bytes (25 MiB) for a large
        // one, which must not hold up the other sessions of this event loop.
        Future<Prepared> prepared;
        if (submission.content().length() <= queue.inlineMaxBytes()) {
            try {
                prepared = Future.succeededFuture(prepare(submission, queueId));
            } catch (RuntimeException e) {
                prepared = Future.failedFuture(e);
            }
        } else {
            prepared = vertx.getOrCreateContext().executeBlocking(() -> prepare(submission, queueId), false);
        }
        return prepared
                .compose(record -> queue.publish(queueId, record.message(), record.envelope())
                        .map(ack -> new AcceptedMessage(queueId, record.message().length)))
                .onSuccess(m -> {
                    accepted.increment();
                    acceptedBytes.increment(m.size());
                })
                .recover(error -> Future.failedFuture(rejection(queueId, error)));
    }

    private MessageRejectedException rejection(String queueId, Throwable error) {
        MessageRejectedException rejected;
        if (error instanceof MessageRejectedException policy) {
            rejected = policy;
        } else if (error instanceof RecordTooLargeException) {
            rejected = new MessageRejectedException(TOO_LARGE, "too_large", error);
        } else {
            rejected = new MessageRejectedException(QUEUE_UNAVAILABLE, "queue_unavailable", error);
        }
        String reason = rejected.reason();
        registry.counter("kanmon.submission.messages.rejected", "reason", reason).increment();
        if (rejected != error) {
            QueueIdLog.warnf(LOG, "queueId=%s not queued (%s): %s", queueId, reason, error.toString());
        }
        return rejected;
    }

    /** Record value and envelope header of one message. */
    private record Prepared(byte[] message, byte[] envelope) {
    }

    private Prepared prepare(Submission submission, String queueId) {
        byte[] message = fixups.apply(submission, queueId);
        return new Prepared(message, WireCodec.encode(envelope(submission, queueId, message.length)));
    }

    private static Envelope envelope(Submission s, String queueId, long size) {
        return new Envelope(queueId, s.mailFrom(), s.recipients(), s.ret(), s.envid(), s.bodyType(), s.smtpUtf8(),
                s.user() == null ? null : s.user().username(), s.clientIp(), s.heloName(), s.tlsProtocol(),
                s.tlsCipher(), s.receivedAt(), size, 0, null, false);
    }
}
