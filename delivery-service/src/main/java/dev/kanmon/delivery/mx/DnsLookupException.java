package dev.kanmon.delivery.mx;

/** A DNS question got no definite answer (time-out, SERVFAIL, REFUSED, malformed reply): try again later. */
public final class DnsLookupException extends RuntimeException {

    public DnsLookupException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
