package dev.kanmon.submission.message;

import dev.kanmon.core.queue.BodyType;
import dev.kanmon.core.queue.EnvelopeRecipient;
import dev.kanmon.core.queue.Ret;
import dev.kanmon.submission.auth.AuthenticatedUser;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.List;

/**
 * Everything the SMTP session knows about one message when its content is complete.
 *
 * @param mailFrom    reverse-path without brackets, empty for {@code <>}
 * @param recipients  accepted RCPTs in order, with DSN parameters
 * @param ret         MAIL FROM RET=, or null
 * @param envid       MAIL FROM ENVID= (xtext-decoded), or null
 * @param bodyType    MAIL FROM BODY=
 * @param smtpUtf8    MAIL FROM SMTPUTF8
 * @param user        the authenticated user, or null
 * @param clientIp    client address (after PROXY protocol)
 * @param clientPort  client port
 * @param clientHost  reverse-DNS name of the client if known, else null
 * @param heloName    EHLO/HELO argument
 * @param esmtp       whether the client greeted with EHLO (Received "with ESMTP…")
 * @param listener    which listener took it: {@code submission} (587), {@code submissions} (465), {@code smtp} (25)
 * @param tlsProtocol negotiated TLS protocol or null
 * @param tlsCipher   negotiated cipher suite or null
 * @param receivedAt  when the end of data arrived
 * @param content     the message exactly as received: CRLF line ends, dot-unstuffed, without the terminating
 *                    {@code .CRLF}
 */
public record Submission(
        String mailFrom,
        List<EnvelopeRecipient> recipients,
        Ret ret,
        String envid,
        BodyType bodyType,
        boolean smtpUtf8,
        AuthenticatedUser user,
        String clientIp,
        int clientPort,
        String clientHost,
        String heloName,
        boolean esmtp,
        String listener,
        String tlsProtocol,
        String tlsCipher,
        Instant receivedAt,
        Buffer content) {

    public Submission {
        recipients = List.copyOf(recipients);
    }
}
