package dev.kanmon.submission.message;

import static dev.kanmon.submission.message.Submissions.DATE;
import static dev.kanmon.submission.message.Submissions.alice;
import static dev.kanmon.submission.message.Submissions.relay;
import static dev.kanmon.submission.message.Submissions.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.core.queue.BodyType;
import dev.kanmon.core.queue.EnvelopeRecipient;
import dev.kanmon.submission.auth.AuthenticatedUser;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReceivedHeaderTest {

    private static String received(Submission s, ReceivedAuth auth) {
        return text(ReceivedHeader.of(s, "01KAXZ5D8T6Y3W2V1R0Q9P8N7M", "relay.example.test", auth));
    }

    private static Submission session(boolean esmtp, boolean tls, boolean auth, boolean utf8) {
        AuthenticatedUser user = auth ? Submissions.ALICE : null;
        return new Submission("alice@example.test", List.of(EnvelopeRecipient.of("bob@dest.test")), null, null,
                BodyType.SEVEN_BIT, utf8, user, "192.0.2.1", 1, null, "h.example.test", esmtp, "submission",
                tls ? "TLSv1.2" : null, tls ? "ECDHE-RSA-AES128-GCM-SHA256" : null, Submissions.RECEIVED_AT,
                Buffer.buffer());
    }

    @ParameterizedTest
    @CsvSource({
        "false, false, false, false, SMTP",
        "true,  false, false, false, ESMTP",
        "true,  true,  false, false, ESMTPS",
        "true,  false, true,  false, ESMTPA",
        "true,  true,  true,  false, ESMTPSA",
        "true,  true,  true,  true,  UTF8SMTPSA",
        "true,  false, false, true,  UTF8SMTP",
    })
    void protocolKeywordFollowsRfc3848AndRfc6531(boolean esmtp, boolean tls, boolean auth, boolean utf8, String with) {
        assertThat(ReceivedHeader.protocol(session(esmtp, tls, auth, utf8))).isEqualTo(with);
        assertThat(received(session(esmtp, tls, auth, utf8), ReceivedAuth.USER)).contains(" with " + with + " id ");
    }

    @Test
    void authenticatedTlsSubmissionNamesUserCipherAndSingleRecipient() {
        assertThat(received(alice(""), ReceivedAuth.USER)).isEqualTo(
                "Received: from laptop.example.test (client.example.test [192.0.2.1])\r\n"
                        + "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)\r\n"
                        + "\t(Authenticated sender: alice)\r\n"
                        + "\tby relay.example.test (Kanmon) with ESMTPSA id 01KAXZ5D8T6Y3W2V1R0Q9P8N7M\r\n"
                        + "\tfor <bob@dest.test>; " + DATE + "\r\n");
    }

    @Test
    void privacySettingNoneLeavesTheUserOut() {
        assertThat(received(alice(""), ReceivedAuth.NONE))
                .doesNotContain("alice")
                .contains("with ESMTPSA id");
    }

    @Test
    void loginBeforeSmtpSaysSoAndIsNotSmtpAuth() {
        Submission s = new Submission("alice@example.test", List.of(EnvelopeRecipient.of("bob@dest.test")), null, null,
                BodyType.SEVEN_BIT, false,
                new AuthenticatedUser("alice", List.of("alice@example.test"), AuthenticatedUser.LOGIN_WINDOW),
                "192.0.2.7", 1, null, "h.example.test", true, "submission", "TLSv1.3", "TLS_AES_256_GCM_SHA384",
                Submissions.RECEIVED_AT, Buffer.buffer());
        // RFC 3848's "A" means SMTP AUTH, which did not happen
        assertThat(received(s, ReceivedAuth.USER))
                .contains("\r\n\t(login-before-SMTP alice from 192.0.2.7)\r\n")
                .contains(" with ESMTPS id ")
                .doesNotContain("Authenticated sender");
        assertThat(received(s, ReceivedAuth.NONE)).contains("\r\n\t(login-before-SMTP)\r\n").doesNotContain("alice");
    }

    @Test
    void severalRecipientsAreNotListedAndIpv6IsAnAddressLiteral() {
        assertThat(received(relay(""), ReceivedAuth.USER))
                .startsWith("Received: from old.example.test (unknown [IPv6:2001:db8::25])\r\n")
                .doesNotContain("for <")
                .endsWith("id 01KAXZ5D8T6Y3W2V1R0Q9P8N7M;\r\n\t" + DATE + "\r\n");
    }

    @Test
    void clientSuppliedTextCannotBreakTheHeader() {
        Submission s = new Submission("", List.of(EnvelopeRecipient.of("x@y.test")), null, null, BodyType.SEVEN_BIT,
                false, new AuthenticatedUser("eve) (Authenticated sender: bob", List.of(), "PLAIN"), "192.0.2.9", 1,
                "evil\r\nX-Injected: 1", "bad\r\nX-Injected: yes", true, "submission", "TLSv1.3", "C", Submissions.RECEIVED_AT,
                Buffer.buffer());
        String header = received(s, ReceivedAuth.USER);
        assertThat(header).doesNotContain("\r\nX-Injected").contains("(Authenticated sender: eve???Authenticated?sender:?bob)");
        assertThat(header.split("\r\n")).allMatch(line -> line.startsWith("Received:") || line.startsWith("\t"));
    }
}
