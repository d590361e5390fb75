package dev.kanmon.delivery.smtp;

import dev.kanmon.core.queue.BodyType;
import dev.kanmon.core.queue.DeliveryRecipient;
import dev.kanmon.core.queue.DeliveryRequest;
import dev.kanmon.core.queue.Notify;
import dev.kanmon.core.smtp.Xtext;
import java.util.stream.Collectors;

/**
 * MAIL and RCPT command lines with the ESMTP parameters the peer announced: SIZE (RFC 1870), BODY (RFC 6152),
 * SMTPUTF8 (RFC 6531) and the DSN parameters RET/ENVID/NOTIFY/ORCPT (RFC 3461) — DSN ones only when the peer
 * offers DSN, because a server without it must reject unknown parameters.
 */
public final class MailCommands {

    private MailCommands() {
    }

    public static String mailFrom(DeliveryRequest request, Capabilities caps, long size) {
        StringBuilder sb = new StringBuilder("MAIL FROM:<").append(request.mailFrom() == null ? "" : request.mailFrom()).append('>');
        if (!caps.esmtp()) {
            return sb.toString();
        }
        if (caps.sizeAnnounced()) {
            sb.append(" SIZE=").append(size);
        }
        if (request.bodyType() == BodyType.EIGHT_BIT_MIME && caps.eightBitMime()) {
            sb.append(" BODY=8BITMIME");
        }
        if (request.smtpUtf8() && caps.smtpUtf8()) {
            sb.append(" SMTPUTF8");
        }
        if (caps.dsn()) {
            if (request.ret() != null) {
                sb.append(" RET=").append(request.ret().name());
            }
            if (request.envid() != null && !request.envid().isEmpty()) {
                sb.append(" ENVID=").append(Xtext.encode(request.envid()));
            }
        }
        return sb.toString();
    }

    public static String rcptTo(DeliveryRecipient recipient, Capabilities caps) {
        StringBuilder sb = new StringBuilder("RCPT TO:<").append(recipient.recipient().address()).append('>');
        if (caps.esmtp() && caps.dsn()) {
            if (!recipient.recipient().notifications().isEmpty()) {
                // NEVER must stand alone (RFC 3461 §4.1); the set keeps the enum's order otherwise
                String notify = recipient.recipient().notifications().contains(Notify.NEVER) ? "NEVER"
                        : recipient.recipient().notifications().stream().sorted().map(Notify::name).collect(Collectors.joining(","));
                sb.append(" NOTIFY=").append(notify);
            }
            if (recipient.recipient().orcpt() != null && !recipient.recipient().orcpt().isEmpty()) {
                sb.append(" ORCPT=").append(recipient.recipient().orcpt());
            }
        }
        return sb.toString();
    }
}
