package dev.kanmon.submission.smtp;

import dev.kanmon.core.queue.BodyType;
import dev.kanmon.core.queue.EnvelopeRecipient;
import dev.kanmon.core.queue.Ret;
import dev.kanmon.core.smtp.Path;
import dev.kanmon.submission.smtp.io.ChunkReader;
import dev.kanmon.submission.smtp.io.DataDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/** One mail transaction: MAIL FROM, its parameters, the recipients so far and the content being received. */
public final class Transaction {

    private final Path sender;
    private final BodyType bodyType;
    private final boolean smtpUtf8;
    private final Ret ret;
    private final String envid;
    private final List<EnvelopeRecipient> recipients = new ArrayList<>(4);
    private int recipientLimit;
    private ByteBuf content;
    private DataDecoder data;
    private ChunkReader chunks;

    public Transaction(Path sender, BodyType bodyType, boolean smtpUtf8, Ret ret, String envid) {
        this.sender = sender;
        this.bodyType = bodyType;
        this.smtpUtf8 = smtpUtf8;
        this.ret = ret;
        this.envid = envid;
    }

    public Path sender() {
        return sender;
    }

    public BodyType bodyType() {
        return bodyType;
    }

    public boolean smtpUtf8() {
        return smtpUtf8;
    }

    public Ret ret() {
        return ret;
    }

    public String envid() {
        return envid;
    }

    /** The subscriber's recipients-per-message limit from the quota ledger; 0 when none applies. */
    public int recipientLimit() {
        return recipientLimit;
    }

    public void recipientLimit(int limit) {
        recipientLimit = limit;
    }

    public List<EnvelopeRecipient> recipients() {
        return recipients;
    }

    public void addRecipient(EnvelopeRecipient recipient) {
        recipients.add(recipient);
    }

    DataDecoder startData(long maxSize, boolean normalize) {
        content = Unpooled.buffer(8192);
        data = new DataDecoder(content, maxSize, normalize);
        return data;
    }

    /** The BDAT reader, created by the first chunk. */
    ChunkReader chunks(long maxSize) {
        if (chunks == null) {
            content = Unpooled.buffer(8192);
            chunks = new ChunkReader(content, maxSize);
        }
        return chunks;
    }

    /** Whether BDAT already started (DATA may then not be used). */
    public boolean chunking() {
        return chunks != null;
    }

    DataDecoder data() {
        return data;
    }

    ByteBuf content() {
        return content;
    }

    /** Frees the content received so far (the transaction was dropped). */
    void release() {
        if (content != null && content.refCnt() > 0) {
            content.release();
        }
    }
}
