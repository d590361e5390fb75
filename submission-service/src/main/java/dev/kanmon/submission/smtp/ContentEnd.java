package dev.kanmon.submission.smtp;

import dev.kanmon.core.queue.BodyType;
import dev.kanmon.core.smtp.EnhancedCode;
import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.smtp.io.ChunkReader;
import io.netty.buffer.Unpooled;

/**
 * The end of message content, DATA's {@code CRLF.CRLF} or BDAT's chunks: too big or ambiguous content is refused
 * (the transaction ends), complete content goes to the queue ({@link QueueHandOff}).
 */
final class ContentEnd {

    /** One BDAT chunk being read: its reader, whether it is the last, and the verdict on the command, if refused. */
    record Chunk(ChunkReader reader, boolean last, SmtpReply error) {
    }

    private ContentEnd() {
    }

    /** The reader for a BDAT chunk; a refused chunk still occupies the stream, so a reader that stores nothing skips it. */
    static Chunk chunk(SmtpEnvironment env, Transaction tx, long size, boolean last, SmtpReply error) {
        ChunkReader reader = error == null ? tx.chunks(env.maxMessageSize()) : new ChunkReader(Unpooled.EMPTY_BUFFER, -1);
        reader.begin(size);
        return new Chunk(reader, last, error);
    }

    static Outcome ofData(SmtpEnvironment env, ListenerKind listener, SessionState state) {
        var data = state.transaction().data();
        if (data.overflow()) {
            return refuse(env, listener, state, Replies.MESSAGE_TOO_BIG);
        }
        if (data.bareLineEnding() && !env.normalizeBareLineEndings()) {
            return refuse(env, listener, state, Replies.BARE_LINE_ENDING);
        }
        return QueueHandOff.queue(env, listener, state.id(), state.submission());
    }

    static Outcome ofChunk(SmtpEnvironment env, ListenerKind listener, SessionState state, Chunk chunk) {
        if (chunk.error() != null) {
            return Outcome.reply(chunk.error());
        }
        ChunkReader reader = chunk.reader();
        if (reader.overflow()) {
            return refuse(env, listener, state, Replies.MESSAGE_TOO_BIG);
        }
        if (!chunk.last()) {
            return Outcome.reply(250, EnhancedCode.OTHER_OK, "Ok: " + reader.size() + " octets received");
        }
        if (reader.bareLineEnding(true) && state.transaction().bodyType() != BodyType.BINARY_MIME) {
            return refuse(env, listener, state, Replies.BARE_LINE_ENDING);
        }
        return QueueHandOff.queue(env, listener, state.id(), state.submission());
    }

    private static Outcome refuse(SmtpEnvironment env, ListenerKind listener, SessionState state, SmtpReply reply) {
        state.resetTransaction();
        env.metrics().rejected(listener);
        return Outcome.reply(reply);
    }
}
