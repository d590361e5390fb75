package dev.kanmon.submission.smtp;

import dev.kanmon.core.smtp.SmtpReply;
import io.vertx.core.Future;

/** What a command handler tells the session to do next. */
public sealed interface Outcome {

    /** Nothing to send now (BDAT: the reply follows the chunk). */
    Outcome NONE = new None();

    static Outcome reply(SmtpReply reply) {
        return new Reply(reply);
    }

    static Outcome reply(int code, String enhanced, String text) {
        return new Reply(SmtpReply.of(code, enhanced, text));
    }

    /** Send the reply and read on. */
    record Reply(SmtpReply reply) implements Outcome {
    }

    /** Send the reply and close the connection. */
    record Close(SmtpReply reply) implements Outcome {
    }

    /**
     * Stop reading input until the future completes (AUTH back end, queue). Pipelined input waits in the
     * session's buffer with the socket paused. A failed future is answered {@code 451 4.3.0}.
     */
    record Suspend(Future<Outcome> next) implements Outcome {
    }

    /** Send the reply, discard any buffered plaintext, and start the TLS handshake. */
    record StartTls(SmtpReply reply) implements Outcome {
    }

    record None() implements Outcome {
    }
}
