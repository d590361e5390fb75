package dev.kanmon.core.queue;

import java.time.Instant;
import java.util.List;

/**
 * The SMTP envelope and session facts of an accepted message, carried as the
 * {@value Topics#ENVELOPE_HEADER} header of a {@value Topics#SUBMITTED} record.
 *
 * @param queueId      ULID assigned at acceptance; also the Kafka key
 * @param mailFrom     reverse-path without brackets; empty string for the null sender {@code <>}
 * @param recipients   accepted recipients with their DSN parameters
 * @param ret          RFC 3461 RET, or null
 * @param envid        RFC 3461 ENVID (xtext-decoded), or null
 * @param bodyType     BODY= parameter
 * @param smtpUtf8     whether the client used SMTPUTF8
 * @param authUser     authenticated user name, or null when the client did not authenticate
 * @param clientIp     client address as the relay saw it (after PROXY protocol)
 * @param heloName     EHLO/HELO argument
 * @param tlsProtocol  negotiated TLS version, or null for cleartext
 * @param tlsCipher    negotiated cipher suite, or null
 * @param receivedAt   when the final reply to DATA/BDAT was due
 * @param size         message size in bytes as queued
 * @param attempt      0 for a fresh submission
 * @param notBefore    earliest delivery time, or null for now
 * @param dsn          true when the message is a delivery status notification made by the relay
 */
public record Envelope(
        String queueId,
        String mailFrom,
        List<EnvelopeRecipient> recipients,
        Ret ret,
        String envid,
        BodyType bodyType,
        boolean smtpUtf8,
        String authUser,
        String clientIp,
        String heloName,
        String tlsProtocol,
        String tlsCipher,
        Instant receivedAt,
        long size,
        int attempt,
        Instant notBefore,
        boolean dsn) {

    public Envelope {
        recipients = List.copyOf(recipients);
        if (bodyType == null) {
            bodyType = BodyType.SEVEN_BIT;
        }
    }

    /** Whether the reverse-path is the null sender (bounces are never bounced). */
    public boolean nullSender() {
        return mailFrom == null || mailFrom.isEmpty();
    }
}
