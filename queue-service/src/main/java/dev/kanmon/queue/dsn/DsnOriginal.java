package dev.kanmon.queue.dsn;

import dev.kanmon.core.queue.BodyType;
import dev.kanmon.core.queue.Ret;
import java.time.Instant;

/**
 * The message being reported on.
 *
 * @param queueId    its queue id
 * @param sender     its reverse-path (the DSN's recipient)
 * @param envid      RFC 3461 ENVID, or null
 * @param ret        RFC 3461 RET, or null
 * @param receivedAt arrival time
 * @param bodyType   its BODY= type
 * @param smtpUtf8   whether it needs SMTPUTF8 (then the report uses the RFC 6533 message/global types)
 * @param content    the raw message
 */
public record DsnOriginal(
        String queueId,
        String sender,
        String envid,
        Ret ret,
        Instant receivedAt,
        BodyType bodyType,
        boolean smtpUtf8,
        byte[] content) {
}
