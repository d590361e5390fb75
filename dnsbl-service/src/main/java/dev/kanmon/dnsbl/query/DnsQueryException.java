package dev.kanmon.dnsbl.query;

import java.util.Locale;

/** A DNSBL query that got no usable answer: a timeout, a SERVFAIL/REFUSED reply or a network error. */
public final class DnsQueryException extends RuntimeException {

    private final String reason;

    public DnsQueryException(String reason, String message, Throwable cause) {
        super(message, cause, false, false);
        this.reason = reason.toLowerCase(Locale.ROOT);
    }

    /** Short metric tag: {@code timeout}, {@code servfail}, {@code refused}, {@code error}, ... */
    public String reason() {
        return reason;
    }
}
