package dev.kanmon.delivery.smtp;

import dev.kanmon.core.smtp.SmtpReply;

/**
 * A next hop could not be used before any mail transaction started (no connection, bad greeting, EHLO
 * refused, TLS or AUTH failure); the caller moves on to the next address or MX and, when none is left,
 * defers with the last such failure.
 *
 * @see SessionOpener
 */
public final class HopFailure extends Exception {

    private final int replyCode;
    private final String enhanced;
    private final boolean connected;

    public HopFailure(String message, int replyCode, String enhanced, boolean connected) {
        super(message, null, false, false);
        this.replyCode = replyCode;
        this.enhanced = enhanced;
        this.connected = connected;
    }

    static HopFailure reply(String what, SmtpReply reply, String host) {
        return new HopFailure(what + " from " + host + ": " + reply, reply.code(),
                "4." + subjectDetail(reply.enhanced(), "4.0.0"), true);
    }

    private static String subjectDetail(String enhanced, String fallback) {
        String code = enhanced == null ? fallback : enhanced;
        return code.substring(code.indexOf('.') + 1);
    }

    /** SMTP reply code that caused it, 0 when none (connection or TLS failure). */
    public int replyCode() {
        return replyCode;
    }

    /** Enhanced status for the deferral, always of class 4 (a hop failure never bounces mail). */
    public String enhanced() {
        return enhanced;
    }

    /** Whether a TCP connection was established (false: the address was unreachable). */
    public boolean connected() {
        return connected;
    }
}
