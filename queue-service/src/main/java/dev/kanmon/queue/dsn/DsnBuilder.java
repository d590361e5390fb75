package dev.kanmon.queue.dsn;

import dev.kanmon.core.queue.BodyType;
import dev.kanmon.core.queue.Ret;
import dev.kanmon.core.smtp.SmtpSyntaxException;
import dev.kanmon.core.smtp.Xtext;
import dev.kanmon.queue.store.DsnAction;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Builds RFC 3464 delivery status notifications: {@code multipart/report; report-type=delivery-status} with a
 * human-readable part, the {@code message/delivery-status} part and the original message (RET=FULL or no RET, on
 * failures, up to a size limit) or only its headers. Messages that needed SMTPUTF8 are reported with the RFC 6533
 * {@code message/global*} types.
 */
public final class DsnBuilder {

    private static final DateTimeFormatter RFC5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String CRLF = "\r\n";

    /** The report bytes and whether they contain 8-bit data (then BODY=8BITMIME is needed). */
    public record Built(byte[] content, BodyType bodyType, String subject) {
    }

    private final String reportingMta;
    private final int maxReturnedSize;

    public DsnBuilder(String reportingMta, int maxReturnedSize) {
        this.reportingMta = reportingMta;
        this.maxReturnedSize = maxReturnedSize;
    }

    public Built build(String dsnQueueId, DsnOriginal original, List<DsnRecipient> recipients, Instant now) {
        boolean failed = recipients.stream().anyMatch(r -> r.action() == DsnAction.FAILED);
        boolean delayed = !failed && recipients.stream().anyMatch(r -> r.action() == DsnAction.DELAYED);
        String subject = failed ? "Undelivered Mail Returned to Sender"
                : delayed ? "Delayed Mail (still being retried)" : "Successful Mail Delivery Report";
        String boundary = dsnQueueId + "/" + reportingMta;
        boolean global = original.smtpUtf8();

        // the whole message is only returned with failures, as Postfix does; delay and success reports carry headers
        boolean full = failed && original.ret() != Ret.HDRS && original.content().length <= maxReturnedSize;
        byte[] returned = full ? original.content() : headersOf(original.content());
        boolean eightBit = hasEightBit(returned) || global;

        StringBuilder head = new StringBuilder();
        head.append("From: Mail Delivery System <MAILER-DAEMON@").append(reportingMta).append('>').append(CRLF);
        head.append("To: <").append(original.sender()).append('>').append(CRLF);
        head.append("Subject: ").append(subject).append(CRLF);
        head.append("Date: ").append(RFC5322.format(now)).append(CRLF);
        head.append("Message-ID: <").append(dsnQueueId).append('@').append(reportingMta).append('>').append(CRLF);
        head.append("Auto-Submitted: auto-replied").append(CRLF);
        head.append("MIME-Version: 1.0").append(CRLF);
        head.append("Content-Type: multipart/report; report-type=delivery-status;").append(CRLF)
                .append("\tboundary=\"").append(boundary).append('"').append(CRLF);
        if (eightBit) {
            head.append("Content-Transfer-Encoding: 8bit").append(CRLF);
        }
        head.append(CRLF);
        head.append("This is a MIME-encapsulated message.").append(CRLF).append(CRLF);

        head.append("--").append(boundary).append(CRLF);
        head.append("Content-Description: Notification").append(CRLF);
        head.append("Content-Type: text/plain; charset=us-ascii").append(CRLF).append(CRLF);
        head.append(humanText(original, recipients, failed, delayed)).append(CRLF);

        head.append("--").append(boundary).append(CRLF);
        head.append("Content-Description: Delivery report").append(CRLF);
        head.append("Content-Type: ").append(global ? "message/global-delivery-status" : "message/delivery-status")
                .append(CRLF).append(CRLF);
        head.append(deliveryStatus(original, recipients)).append(CRLF);

        head.append("--").append(boundary).append(CRLF);
        if (full) {
            head.append("Content-Description: Undelivered Message").append(CRLF);
            head.append("Content-Type: ").append(global ? "message/global" : "message/rfc822").append(CRLF);
        } else {
            head.append("Content-Description: ").append(failed ? "Undelivered Message Headers" : "Message Headers")
                    .append(CRLF);
            head.append("Content-Type: ").append(global ? "message/global-headers" : "text/rfc822-headers").append(CRLF);
        }
        if (eightBit) {
            head.append("Content-Transfer-Encoding: 8bit").append(CRLF);
        }
        head.append(CRLF);

        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + returned.length + 128);
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(returned);
        if (returned.length < 2 || returned[returned.length - 2] != '\r' || returned[returned.length - 1] != '\n') {
            out.writeBytes(CRLF.getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes((CRLF + "--" + boundary + "--" + CRLF).getBytes(StandardCharsets.US_ASCII));
        return new Built(out.toByteArray(), eightBit ? BodyType.EIGHT_BIT_MIME : BodyType.SEVEN_BIT, subject);
    }

    private String humanText(DsnOriginal original, List<DsnRecipient> recipients, boolean failed, boolean delayed) {
        StringBuilder t = new StringBuilder();
        t.append("This is the mail system at host ").append(reportingMta).append('.').append(CRLF).append(CRLF);
        if (failed) {
            t.append("I'm sorry to have to inform you that your message could not").append(CRLF)
                    .append("be delivered to one or more recipients.").append(CRLF);
        } else if (delayed) {
            t.append("Your message could not be delivered for some time; the mail").append(CRLF)
                    .append("system will keep trying. This is a warning only: you do not").append(CRLF)
                    .append("need to send the message again.").append(CRLF);
        } else {
            t.append("Your message was successfully relayed to the recipients'").append(CRLF)
                    .append("mail servers.").append(CRLF);
        }
        t.append(CRLF);
        for (DsnRecipient r : recipients) {
            t.append('<').append(ascii(r.finalRecipient())).append(">: ").append(r.action().keyword());
            if (r.diagnostic() != null) {
                t.append(", ").append(r.replyCode() == null ? "" : r.replyCode() + " ").append(ascii(r.diagnostic()));
            }
            t.append(CRLF);
        }
        t.append(CRLF).append("Queue ID: ").append(original.queueId()).append(CRLF);
        return t.toString();
    }

    private String deliveryStatus(DsnOriginal original, List<DsnRecipient> recipients) {
        StringBuilder s = new StringBuilder();
        s.append("Reporting-MTA: dns; ").append(reportingMta).append(CRLF);
        s.append("X-Kanmon-Queue-ID: ").append(original.queueId()).append(CRLF);
        if (original.envid() != null) {
            s.append("Original-Envelope-Id: ").append(ascii(original.envid())).append(CRLF);
        }
        if (original.receivedAt() != null) {
            s.append("Arrival-Date: ").append(RFC5322.format(original.receivedAt())).append(CRLF);
        }
        for (DsnRecipient r : recipients) {
            s.append(CRLF);
            s.append("Final-Recipient: rfc822; ").append(r.finalRecipient()).append(CRLF);
            if (r.orcpt() != null) {
                s.append("Original-Recipient: ").append(originalRecipient(r.orcpt())).append(CRLF);
            }
            s.append("Action: ").append(r.action().keyword()).append(CRLF);
            s.append("Status: ").append(r.status()).append(CRLF);
            if (r.remoteMta() != null) {
                s.append("Remote-MTA: dns; ").append(ascii(r.remoteMta())).append(CRLF);
            }
            if (r.diagnostic() != null) {
                s.append(r.replyCode() == null
                        ? "Diagnostic-Code: X-Kanmon; " + ascii(r.diagnostic())
                        : "Diagnostic-Code: smtp; " + r.replyCode() + " " + ascii(r.diagnostic())).append(CRLF);
            }
            if (r.lastAttemptAt() != null) {
                s.append("Last-Attempt-Date: ").append(RFC5322.format(r.lastAttemptAt())).append(CRLF);
            }
            if (r.willRetryUntil() != null) {
                s.append("Will-Retry-Until: ").append(RFC5322.format(r.willRetryUntil())).append(CRLF);
            }
        }
        return s.toString();
    }

    /** ORCPT is {@code addr-type;xtext} (RFC 3461 §4.2); the report carries it xtext-decoded. */
    static String originalRecipient(String orcpt) {
        int semi = orcpt.indexOf(';');
        String type = semi < 0 ? "rfc822" : orcpt.substring(0, semi).trim();
        String value = semi < 0 ? orcpt : orcpt.substring(semi + 1);
        try {
            value = Xtext.decode(value);
        } catch (SmtpSyntaxException e) {
            // submission validated it; a malformed value is reported as given rather than dropped
        }
        return type + "; " + ascii(value);
    }

    /** The header section including the blank line, or the whole message when it has no body. */
    static byte[] headersOf(byte[] message) {
        for (int i = 0; i + 1 < message.length; i++) {
            if (message[i] == '\n' && message[i + 1] == '\n') {
                return java.util.Arrays.copyOf(message, i + 1);
            }
            if (i + 3 < message.length && message[i] == '\r' && message[i + 1] == '\n' && message[i + 2] == '\r'
                    && message[i + 3] == '\n') {
                return java.util.Arrays.copyOf(message, i + 2);
            }
        }
        return message;
    }

    private static boolean hasEightBit(byte[] data) {
        for (byte b : data) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }

    /** Remote replies can carry anything; header fields of the report stay printable ASCII on one line. */
    private static String ascii(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : (c == '\r' || c == '\n' || c == '\t') ? ' ' : '?');
        }
        return b.toString();
    }
}
