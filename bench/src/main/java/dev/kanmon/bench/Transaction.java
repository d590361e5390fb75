package dev.kanmon.bench;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * One MAIL/RCPT/DATA transaction on a logged-in connection, shared by the closed-loop send and
 * the open-loop rate steps so both measure the same thing. A refusal is followed by RSET and
 * fails with an {@link SmtpFailure#refusal()} (the connection stays usable); I/O errors and
 * timeouts fail with the connection gone.
 */
final class Transaction {
    /** When the final CRLF.CRLF was written and when its 250 arrived (System.nanoTime). */
    record Done(long endOfDataNanos, long replyNanos) {
        long latencyNanos() {
            return replyNanos - endOfDataNanos;
        }
    }

    private Transaction() {
    }

    static Future<Done> run(SmtpConnection c, Buffer message, String from, String rcpt, boolean pipelining) {
        String mail = "MAIL FROM:<" + from + "> SIZE=" + message.length();
        String rcptTo = "RCPT TO:<" + rcpt + ">";
        Future<Reply> dataGo;
        if (pipelining) {
            List<Future<Reply>> r = c.pipeline(List.of(mail, rcptTo, "DATA"));
            dataGo = Future.all(r).compose(x -> firstRefusal(r.get(0).result(), r.get(1).result(), r.get(2).result()));
        } else {
            dataGo = c.command(mail).compose(r -> SmtpConnection.check("MAIL", r, 250))
                    .compose(r -> c.command(rcptTo)).compose(r -> SmtpConnection.check("RCPT", r, 250))
                    .compose(r -> c.command("DATA")).compose(r -> SmtpConnection.check("DATA", r, 354));
        }
        return dataGo.compose(
                go -> {
                    long start = System.nanoTime();
                    return c.data(message).compose(r -> r.is(250)
                            ? Future.succeededFuture(new Done(start, System.nanoTime()))
                            : Future.failedFuture(SmtpFailure.refused("EOD", r)));
                },
                t -> t instanceof SmtpFailure f && f.refusal()
                        ? c.command("RSET").transform(ar -> Future.failedFuture(t))
                        : Future.failedFuture(t));
    }

    private static Future<Reply> firstRefusal(Reply mail, Reply rcpt, Reply data) {
        // A 354 means the server wants the content, whatever it said before; the end-of-data reply decides.
        if (data.is(354)) {
            return Future.succeededFuture(data);
        }
        SmtpFailure f = !mail.is(250) ? SmtpFailure.refused("MAIL", mail)
                : !rcpt.is(250) ? SmtpFailure.refused("RCPT", rcpt) : SmtpFailure.refused("DATA", data);
        return Future.failedFuture(f);
    }
}
