package dev.kanmon.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.core.queue.DeliveryRecipient;
import dev.kanmon.core.queue.EnvelopeRecipient;
import dev.kanmon.core.queue.RecipientResult;
import dev.kanmon.core.queue.RecipientStatus;
import dev.kanmon.core.smtp.SmtpReply;
import org.junit.jupiter.api.Test;

class ReplyMappingTest {

    static final DeliveryRecipient R = new DeliveryRecipient(7, EnvelopeRecipient.of("a@b.test"));

    @Test
    void classOfTheReplyDecidesTheStatus() {
        assertThat(ReplyMapping.fromReply(R, SmtpReply.of(250, "2.0.0", "ok"), "mx").status()).isEqualTo(RecipientStatus.DELIVERED);
        assertThat(ReplyMapping.fromReply(R, SmtpReply.of(451, "4.7.1", "greylisted"), "mx").status()).isEqualTo(RecipientStatus.DEFERRED);
        assertThat(ReplyMapping.fromReply(R, SmtpReply.of(550, "5.1.1", "unknown"), "mx").status()).isEqualTo(RecipientStatus.FAILED);
        assertThat(ReplyMapping.fromReply(R, SmtpReply.of(354, "go ahead"), "mx").status()).isEqualTo(RecipientStatus.DEFERRED);
    }

    @Test
    void keepsTheRemoteCodesAndFillsAMissingEnhancedCode() {
        RecipientResult r = ReplyMapping.fromReply(R, SmtpReply.of(550, "5.7.1", "spam"), "mx.b.test");
        assertThat(r).isEqualTo(new RecipientResult(7, "a@b.test", RecipientStatus.FAILED, 550, "5.7.1", "spam", "mx.b.test"));
        assertThat(ReplyMapping.fromReply(R, SmtpReply.of(452, "no room"), "mx").enhancedCode()).isEqualTo("4.0.0");
        // an enhanced code of the wrong class is not trusted
        assertThat(ReplyMapping.fromReply(R, SmtpReply.of(550, "2.0.0", "odd"), "mx").enhancedCode()).isEqualTo("5.0.0");
    }
}
