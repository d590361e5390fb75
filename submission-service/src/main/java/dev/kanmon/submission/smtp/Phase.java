package dev.kanmon.submission.smtp;

/**
 * Where the session is in the RFC 5321 command sequence. Authentication is orthogonal (it survives the end of
 * a transaction and is only undone by STARTTLS), so it is a session property, not a phase.
 */
public enum Phase {
    /** Greeting sent; EHLO/HELO expected. */
    CONNECTED,
    /** EHLO/HELO done, no transaction. */
    GREETED,
    /** MAIL accepted, no recipient yet. */
    MAIL,
    /** At least one RCPT accepted: DATA or BDAT may follow. */
    RCPT
}
