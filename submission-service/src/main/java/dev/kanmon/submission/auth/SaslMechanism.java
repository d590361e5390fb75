package dev.kanmon.submission.auth;

/**
 * The server side of one SASL mechanism (RFC 4422) as offered by SMTP AUTH (RFC 4954). Implementations are
 * CDI beans; the AUTH command discovers all of them, filters by {@link #enabled()} and advertises them
 * strongest first.
 */
public interface SaslMechanism {

    /** The IANA mechanism name as advertised after {@code AUTH}, e.g. {@code CRAM-MD5}. */
    String name();

    /**
     * Higher is stronger. Clients that pick "the best offered" (RFC 4954 §4) walk the list in order, so the
     * EHLO line is sorted by this value, descending.
     */
    int strength();

    /**
     * Whether the mechanism may only run under TLS because it sends a reusable secret (PLAIN and LOGIN the password,
     * OAUTHBEARER and XOAUTH2 a bearer token): offered and accepted only then.
     */
    boolean requiresTls();

    /** Whether operators enabled the mechanism. */
    boolean enabled();

    /** Starts one authentication exchange for one AUTH command. */
    SaslExchange start(AuthContext context);
}
