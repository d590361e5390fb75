package dev.kanmon.delivery.smtp;

import dev.kanmon.core.queue.DeliveryRecipient;
import dev.kanmon.core.queue.RecipientResult;
import dev.kanmon.core.queue.RecipientStatus;
import dev.kanmon.core.smtp.SmtpReply;

/** Turns SMTP replies into per-recipient outcomes: 2xx delivered, 4xx deferred (retry), 5xx failed (bounce). */
public final class ReplyMapping {

    private ReplyMapping() {
    }

    public static RecipientStatus status(SmtpReply reply) {
        return switch (reply.code() / 100) {
            case 2 -> RecipientStatus.DELIVERED;
            case 5 -> RecipientStatus.FAILED;
            // 4xx, and a 3xx where none belongs (a protocol slip is not a reason to bounce)
            default -> RecipientStatus.DEFERRED;
        };
    }

    public static RecipientResult fromReply(DeliveryRecipient recipient, SmtpReply reply, String remoteMta) {
        RecipientStatus status = status(reply);
        String enhanced = reply.enhanced() != null && reply.enhanced().charAt(0) == classDigit(status)
                ? reply.enhanced() : classDigit(status) + ".0.0";
        return new RecipientResult(recipient.recipientId(), recipient.recipient().address(), status, reply.code(),
                enhanced, String.join(" ", reply.lines()), remoteMta);
    }

    public static RecipientResult local(DeliveryRecipient recipient, RecipientStatus status, int code, String enhanced,
            String diagnostic, String remoteMta) {
        return new RecipientResult(recipient.recipientId(), recipient.recipient().address(), status, code, enhanced,
                diagnostic, remoteMta);
    }

    private static char classDigit(RecipientStatus status) {
        return switch (status) {
            case DELIVERED -> '2';
            case DEFERRED -> '4';
            case FAILED -> '5';
        };
    }
}
