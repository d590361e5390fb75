package dev.kanmon.submission.smtp;

/** How the next inbound bytes are read. */
enum InputMode {
    /** CRLF-terminated command lines. */
    COMMAND,
    /** Base64 SASL responses to {@code 334} challenges. */
    AUTH,
    /** Dot-stuffed message content up to CRLF.CRLF. */
    DATA,
    /** A BDAT chunk of known length. */
    BDAT,
    /** STARTTLS answered: plaintext until the handshake is discarded (CVE-2011-0411). */
    TLS_PENDING
}
