package dev.kanmon.bench;

import io.vertx.core.buffer.Buffer;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Builds the DATA content of each test message: about {@code size} bytes, already terminated by
 * CRLF.CRLF. Date and Message-ID are present so neither server has to add them, and the run tag
 * is in a header so the sink watcher can tell this run's messages from anyone else's.
 */
final class MessageFactory {
    private static final String LINE = "The quick brown fox jumps over the lazy dog 0123456789 abcdefghijklmnopqrstuvw\r\n";
    private final String from;
    private final String rcpt;
    private final String tag;
    private final Buffer body;

    MessageFactory(String from, String rcpt, String tag, int size) {
        this.from = from;
        this.rcpt = rcpt;
        this.tag = tag;
        // Body lines never start with '.', so no dot-stuffing is needed.
        int bodyBytes = Math.max(0, size - 400);
        StringBuilder sb = new StringBuilder(bodyBytes + LINE.length());
        while (sb.length() < bodyBytes) {
            sb.append(LINE);
        }
        sb.append(".\r\n");
        this.body = Buffer.buffer(sb.toString());
    }

    Buffer message(int session, int index) {
        return message(session, index, from);
    }

    /** With the sender of this session (the many-user run has one account, and address, per session). */
    Buffer message(int session, int index, String sender) {
        String headers = "From: <" + sender + ">\r\n"
                + "To: <" + rcpt + ">\r\n"
                + "Subject: kanmon-bench " + tag + " s" + session + " m" + index + "\r\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now()) + "\r\n"
                + "Message-ID: <" + tag + "." + session + "." + index + "@bench.kanmon.test>\r\n"
                + SinkWatch.TAG_HEADER + ": " + tag + "\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "\r\n";
        return Buffer.buffer(headers.length() + body.length()).appendString(headers).appendBuffer(body);
    }
}
