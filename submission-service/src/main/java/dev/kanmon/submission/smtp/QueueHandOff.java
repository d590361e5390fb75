package dev.kanmon.submission.smtp;

import dev.kanmon.core.log.QueueIdLog;
import dev.kanmon.core.smtp.EnhancedCode;
import dev.kanmon.submission.message.AcceptedMessage;
import dev.kanmon.submission.message.MessageRejectedException;
import dev.kanmon.submission.message.Submission;
import io.vertx.core.Future;
import org.jboss.logging.Logger;

/**
 * The end of a transaction: the message goes to the queue, and the client hears {@code 250} only once the queue
 * has it (Kafka acks=all), else the precise refusal or {@code 451 4.3.0}.
 */
final class QueueHandOff {

    private static final Logger LOG = Logger.getLogger(QueueHandOff.class);

    private QueueHandOff() {
    }

    static Outcome queue(SmtpEnvironment env, ListenerKind listener, String sessionId, Submission submission) {
        Future<AcceptedMessage> accepted;
        try {
            accepted = env.acceptor().accept(submission);
        } catch (RuntimeException e) {
            accepted = Future.failedFuture(e);
        }
        String client = submission.clientIp();
        return new Outcome.Suspend(accepted.map(m -> {
            env.metrics().accepted(listener, m.size());
            // DEBUG: the delivery record per recipient is the line operators keep; this one costs on every message
            QueueIdLog.debugf(LOG, "queueId=%s session=%s listener=%s client=%s user=%s from=<%s> nrcpt=%d size=%d queued",
                    m.queueId(), sessionId, listener.id(), client,
                    submission.user() == null ? "-" : submission.user().username(), submission.mailFrom(),
                    submission.recipients().size(), m.size());
            return Outcome.reply(250, EnhancedCode.OTHER_OK, "Ok: queued as " + m.queueId());
        }).otherwise(e -> {
            env.metrics().rejected(listener);
            if (e instanceof MessageRejectedException r) {
                LOG.infof("session=%s client=%s from=<%s> rejected: %s", sessionId, client, submission.mailFrom(),
                        r.reply());
                return Outcome.reply(r.reply());
            }
            LOG.warnf(e, "session=%s client=%s from=<%s> queue unavailable", sessionId, client, submission.mailFrom());
            return Outcome.reply(Replies.QUEUE_UNAVAILABLE);
        }));
    }
}
