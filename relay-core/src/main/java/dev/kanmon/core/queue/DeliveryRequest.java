package dev.kanmon.core.queue;

import java.util.List;

/**
 * One delivery attempt of one message to the recipients of one destination domain, carried as the
 * {@value Topics#DELIVERY_HEADER} header of a {@value Topics#OUTBOUND} record whose value is the message.
 *
 * @param deliveryId unique id of this attempt (ULID); results echo it so duplicates can be told apart
 * @param queueId    the message's queue id
 * @param mailFrom   reverse-path; empty for the null sender
 * @param domain     destination domain (lower case) shared by all recipients
 * @param recipients recipients still to deliver in this domain
 * @param bodyType   BODY= to request from the next hop
 * @param smtpUtf8   whether SMTPUTF8 must be requested from the next hop
 * @param envid      RFC 3461 ENVID to pass on, or null
 * @param ret        RFC 3461 RET to pass on, or null
 * @param attempt    1 for the first try
 * @param size       message size in bytes
 */
public record DeliveryRequest(
        String deliveryId,
        String queueId,
        String mailFrom,
        String domain,
        List<DeliveryRecipient> recipients,
        BodyType bodyType,
        boolean smtpUtf8,
        String envid,
        Ret ret,
        int attempt,
        long size) {

    public DeliveryRequest {
        recipients = List.copyOf(recipients);
        if (bodyType == null) {
            bodyType = BodyType.SEVEN_BIT;
        }
    }
}
