package dev.kanmon.submission.message;

import io.vertx.core.Future;

/**
 * Takes a complete message at the end of DATA (or BDAT LAST) and makes it durable. The SMTP session
 * replies {@code 250 2.0.0 Ok: queued as <id>} only when the returned future succeeds, which happens only
 * after Kafka acknowledged the record with {@code acks=all}. A failed future carries a
 * {@link MessageRejectedException} whose reply the session sends as is (for example {@code 451 4.3.0} when
 * the queue is unavailable, {@code 550 5.7.1} when the header From policy rejects).
 */
public interface MessageAcceptor {

    Future<AcceptedMessage> accept(Submission submission);
}
