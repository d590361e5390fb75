package dev.kanmon.submission.message;

import static dev.kanmon.submission.message.Submissions.alice;
import static dev.kanmon.submission.message.Submissions.bytes;
import static dev.kanmon.submission.message.Submissions.relay;
import static dev.kanmon.submission.message.Submissions.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kanmon.core.queue.BodyType;
import dev.kanmon.core.queue.EnvelopeRecipient;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderFromPolicyTest {

    private static final String ID = "01KAXZ5D8T6Y3W2V1R0Q9P8N7M";
    private static final String REST = "Date: x\r\nMessage-ID: <x@y>\r\nSubject: s\r\n\r\nbody\r\n";

    /** The message after the fix-ups, without the Received field that always comes first. */
    private static String apply(FromPolicy policy, Submission s) {
        byte[] out = new MessageFixups("relay.example.test", policy, ReceivedAuth.USER, NulPolicy.REJECT).apply(s, ID);
        HeaderBlock.Field received = HeaderBlock.parse(out).fields().get(0);
        assertThat(received.name()).isEqualTo("Received");
        return text(out).substring(received.end());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "From: alice@example.test\r\n",
        "From: \"Alice\" <Alice@EXAMPLE.test>\r\n",
        "from: =?UTF-8?B?44Ki44Oq44K5?= <a.test@example.test> (alias)\r\n",
        "From:\r\n Alice\r\n <alice@example.test>\r\n",
        "From: alice@example.test, Alias <a.test@example.test>\r\n",
    })
    void ownedFromPassesUnchangedUnderEveryPolicy(String from) {
        for (FromPolicy policy : FromPolicy.values()) {
            assertThat(apply(policy, alice(from + REST))).isEqualTo(from + REST);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "From: ceo@bank.test\r\n",
        "From: \"alice@example.test\" <ceo@bank.test>\r\n",
        "From: alice@example.test, ceo@bank.test\r\n",
        "From: undisclosed:;\r\n",
        "From: not an address\r\n",
        "From:\r\n",
    })
    void foreignFromIsRejected(String from) {
        assertThatThrownBy(() -> apply(FromPolicy.REJECT, alice(from + REST)))
                .isInstanceOfSatisfying(MessageRejectedException.class, e ->
                        assertThat(e.reply().render()).isEqualTo("550 5.7.1 From: header address not owned by user\r\n"));
    }

    @Test
    void everyFromFieldIsChecked() {
        assertThatThrownBy(() -> apply(FromPolicy.REJECT, alice("From: alice@example.test\r\nFrom: ceo@bank.test\r\n" + REST)))
                .isInstanceOf(MessageRejectedException.class);
    }

    @Test
    void rewriteKeepsTheOriginalValueByteForByte() {
        String original = " =?ISO-2022-JP?B?GyRCQ2Y7MxsoQg==?=\r\n\t<ceo@bank.test> (8-bit: 社長)\r\n";
        assertThat(apply(FromPolicy.REWRITE, alice("Subject: s\r\nFrom:" + original + "Date: x\r\nMessage-ID: <x@y>\r\n\r\nb\r\n")))
                .isEqualTo("Subject: s\r\nFrom: alice@example.test\r\nX-Original-From:" + original
                        + "Date: x\r\nMessage-ID: <x@y>\r\n\r\nb\r\n");
    }

    @Test
    void rewriteTurnsFurtherFromFieldsIntoOriginals() {
        assertThat(apply(FromPolicy.REWRITE, alice("From: a@x.test\r\nFROM : b@x.test\r\n" + REST)))
                .isEqualTo("From: alice@example.test\r\nX-Original-From: a@x.test\r\nX-Original-From: b@x.test\r\n" + REST);
    }

    @Test
    void rewriteUsesTheEnvelopeSender() {
        Submission aliasSender = new Submission("a.test@example.test", List.of(EnvelopeRecipient.of("bob@dest.test")),
                null, null, BodyType.SEVEN_BIT, false, Submissions.ALICE, "192.0.2.1", 1, null, "h", true,
                "submissions", "TLSv1.3", "C", Submissions.RECEIVED_AT, Buffer.buffer(bytes("From: x@y.test\r\n" + REST)));
        assertThat(apply(FromPolicy.REWRITE, aliasSender))
                .startsWith("From: a.test@example.test\r\nX-Original-From: x@y.test\r\n");
    }

    @Test
    void nullSenderRewritesToThePrimaryAddress() {
        Submission bounce = new Submission("", List.of(EnvelopeRecipient.of("bob@dest.test")), null, null,
                BodyType.SEVEN_BIT, false, Submissions.ALICE, "192.0.2.1", 1, null, "h", true, "submission", "TLSv1.3",
                "C", Submissions.RECEIVED_AT, Buffer.buffer(bytes("From: x@y.test\r\n" + REST)));
        assertThat(apply(FromPolicy.REWRITE, bounce)).startsWith("From: alice@example.test\r\nX-Original-From: x@y.test\r\n");
    }

    @Test
    void missingFromIsAddedFromTheEnvelope() {
        assertThat(apply(FromPolicy.REJECT, alice("Subject: s\r\n\r\nb\r\n"))).startsWith("Subject: s\r\nFrom: alice@example.test\r\n");
        assertThat(apply(FromPolicy.OFF, alice("Subject: s\r\n\r\nb\r\n"))).doesNotContain("From:");
    }

    @Test
    void offDoesNotCheck() {
        assertThat(apply(FromPolicy.OFF, alice("From: ceo@bank.test\r\n" + REST))).isEqualTo("From: ceo@bank.test\r\n" + REST);
    }

    @Test
    void unauthenticatedRelayIsNotChecked() {
        String message = "From: anyone@elsewhere.test\r\n" + REST;
        assertThat(apply(FromPolicy.REJECT, relay(message))).endsWith(message);
    }
}
