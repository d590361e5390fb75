package dev.kanmon.submission.message;

import dev.kanmon.core.smtp.SmtpReply;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.apache.james.mime4j.util.MimeUtil;

/**
 * The submission fix-ups of R1/R3 on the raw message: {@code Received:} prepended, header/body separator,
 * {@code Date:} and {@code Message-ID:} when missing, the header {@code From:} policy. Fields are inserted
 * or replaced whole; every other byte is kept as received.
 */
final class MessageFixups {

    private static final byte[] CRLF = {'\r', '\n'};
    /**
     * 554, not 550: the whole transaction fails at the end of data (RFC 5321 §4.2.5), not a mailbox; 5.6.0: the
     * content, not a policy, is at fault (RFC 3463 §3.7).
     */
    static final SmtpReply NUL_REFUSED = SmtpReply.of(554, "5.6.0", "Message contains NUL octets");

    private final String hostname;
    private final FromPolicy fromPolicy;
    private final ReceivedAuth receivedAuth;
    private final NulPolicy nulPolicy;

    MessageFixups(String hostname, FromPolicy fromPolicy, ReceivedAuth receivedAuth, NulPolicy nulPolicy) {
        this.hostname = hostname;
        this.fromPolicy = fromPolicy;
        this.receivedAuth = receivedAuth;
        this.nulPolicy = nulPolicy;
    }

    /**
     * The message as it is queued.
     *
     * @throws MessageRejectedException when the NUL or the header From policy rejects the message
     */
    byte[] apply(Submission s, String queueId) {
        byte[] message = content(s);
        HeaderBlock header = HeaderBlock.parse(message);
        Splices edits = new Splices();
        edits.insert(0, ReceivedHeader.of(s, queueId, hostname, receivedAuth));
        if (header.end() == message.length && !header.fields().isEmpty() && !endsWithCrlf(message)) {
            edits.insert(header.end(), CRLF); // BDAT data may stop mid-line
        }
        if (s.user() != null && fromPolicy != FromPolicy.OFF) {
            HeaderFrom.enforce(fromPolicy, s, message, header, edits);
        }
        if (isSubmission(s)) {
            if (!header.has("Date")) {
                edits.insert(header.end(), field("Date", date(s.receivedAt())));
            }
            if (!header.has("Message-ID")) {
                edits.insert(header.end(), field("Message-ID", '<' + queueId + '@' + hostname + '>'));
            }
        }
        if (!header.separated()) {
            edits.insert(header.end(), CRLF);
        }
        return edits.applyTo(message);
    }

    /** The content as received, or refused, or without its NULs (BINARYMIME, where NUL is data, is not accepted). */
    private byte[] content(Submission s) {
        ByteBuf content = s.content().getByteBuf();
        int nul = content.indexOf(content.readerIndex(), content.writerIndex(), (byte) 0);
        if (nul < 0) {
            return s.content().getBytes();
        }
        if (nulPolicy == NulPolicy.REJECT) {
            throw new MessageRejectedException(NUL_REFUSED, "nul");
        }
        byte[] out = new byte[content.readableBytes()];
        int n = 0;
        for (int i = content.readerIndex(); i < content.writerIndex(); i++) {
            byte b = content.getByte(i);
            if (b != 0) {
                out[n++] = b;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * RFC 6409 §8 lets an MSA complete the header; unauthenticated mail on port 25 is relayed as an MTA
     * would (RFC 5321 §6.4: add trace fields only).
     */
    private static boolean isSubmission(Submission s) {
        return s.user() != null || !"smtp".equals(s.listener());
    }

    /** RFC 5322 date-time, always in UTC ({@code +0000}). */
    static String date(Instant instant) {
        return MimeUtil.RFC822_DATE_FORMAT.format(instant);
    }

    static byte[] field(String name, String value) {
        return (name + ": " + value + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static boolean endsWithCrlf(byte[] m) {
        return m.length >= 2 && m[m.length - 2] == '\r' && m[m.length - 1] == '\n';
    }
}
