package dev.kanmon.delivery.smtp;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * States of the client side of an SMTP session and the transitions RFC 5321 allows between them. Every
 * command the client sends moves the session through {@link SmtpConnection#enter(SessionState)}, which
 * refuses a transition that is not listed here, so a logic error shows up as an exception instead of a
 * command the server would reject out of sequence.
 */
public enum SessionState {
    GREETING, HELLO, STARTTLS, AUTH, READY, MAIL, RCPT, DATA, BODY, RSET, QUIT, CLOSED;

    private static final Map<SessionState, Set<SessionState>> NEXT = Map.ofEntries(
            Map.entry(GREETING, EnumSet.of(HELLO)),
            Map.entry(HELLO, EnumSet.of(HELLO, STARTTLS, AUTH, READY)),
            Map.entry(STARTTLS, EnumSet.of(HELLO)),
            Map.entry(AUTH, EnumSet.of(READY)),
            Map.entry(READY, EnumSet.of(MAIL, RSET)),
            // MAIL -> DATA: a pipelined DATA answered 354 although MAIL was refused (the server waits for the dot)
            Map.entry(MAIL, EnumSet.of(RCPT, DATA, RSET)),
            Map.entry(RCPT, EnumSet.of(RCPT, DATA, RSET)),
            Map.entry(DATA, EnumSet.of(BODY, RSET)),
            Map.entry(BODY, EnumSet.of(READY)),
            Map.entry(RSET, EnumSet.of(READY)),
            Map.entry(QUIT, EnumSet.noneOf(SessionState.class)),
            Map.entry(CLOSED, EnumSet.noneOf(SessionState.class)));

    public boolean canEnter(SessionState next) {
        // QUIT and CLOSED are reachable from anywhere: a session may always be ended
        return next == QUIT || next == CLOSED || NEXT.get(this).contains(next);
    }
}
