package dev.kanmon.submission.smtp.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.core.queue.EnvelopeRecipient;
import dev.kanmon.core.queue.Notify;
import dev.kanmon.submission.smtp.Dialogue;
import dev.kanmon.submission.smtp.ListenerKind;
import dev.kanmon.submission.smtp.TestAuth;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RCPT TO in memory: relay rights on port 25, the recipient limit, NOTIFY and ORCPT. */
class RcptHandlerTest {

    private static Dialogue port25(String clientIp) {
        Dialogue d = Dialogue.on(ListenerKind.SMTP).from(clientIp).open();
        d.send("EHLO client.test").replies();
        return d;
    }

    @Test
    void needsAMailCommandFirst() {
        try (Dialogue d = port25("127.0.0.1")) {
            d.send("RCPT TO:<x@far.test>").expect("503 5.5.1 Error: need MAIL command");
        }
    }

    @Test
    void anUntrustedClientMayOnlySendToRelayDomains() {
        try (Dialogue d = port25("192.0.2.10")) {
            d.send("MAIL FROM:<a@far.test>").expect("250 2.1.0");
            d.send("RCPT TO:<victim@far.test>").expect("554 5.7.1 <victim@far.test>: Relay access denied");
            d.send("RCPT TO:<victim%far.test@example.test>").expect("554 5.7.1");
            d.send("RCPT TO:<@example.test:victim@far.test>").expect("554 5.7.1");
            d.send("RCPT TO:<alice@Example.Test>").expect("250 2.1.5 Ok");
        }
    }

    @Test
    void aTrustedNetworkRelaysAnywhereAndSourceRoutesAreDropped() {
        try (Dialogue d = port25("127.0.0.1")) {
            d.send("MAIL FROM:<a@far.test>").expect("250 2.1.0");
            d.send("RCPT TO:<@hop.test:victim@far.test>").expect("250 2.1.5");
            d.send("DATA").expect("354");
            d.raw(".\r\n").expect("250 2.0.0");
            assertThat(d.queued().get(0).recipients()).extracting(EnvelopeRecipient::address)
                    .containsExactly("victim@far.test");
        }
    }

    @Test
    void anAuthenticatedUserRelaysAnywhere() {
        try (Dialogue d = Dialogue.on(ListenerKind.SUBMISSIONS).from("192.0.2.10")
                .mechanisms(TestAuth.plain(Map.of("bob", "pw"))).open()) {
            d.send("EHLO client.test").replies();
            d.send("AUTH PLAIN AGJvYgBwdw==").expect("235 2.7.0");
            d.send("MAIL FROM:<bob@example.test>").expect("250 2.1.0");
            d.send("RCPT TO:<victim@far.test>").expect("250 2.1.5");
        }
    }

    @Test
    void theRecipientLimitIsATemporaryRefusal() {
        try (Dialogue d = port25("127.0.0.1")) {
            d.send("MAIL FROM:<a@far.test>").expect("250 2.1.0");
            for (int i = 0; i < 3; i++) {
                d.send("RCPT TO:<r" + i + "@far.test>").expect("250 2.1.5");
            }
            d.send("RCPT TO:<r4@far.test>").expect("452 4.5.3 Too many recipients");
        }
    }

    @Test
    void dsnParametersAreCheckedAndKept() {
        try (Dialogue d = port25("127.0.0.1")) {
            d.send("MAIL FROM:<a@far.test>").expect("250 2.1.0");
            d.send("RCPT TO:<x@far.test> NOTIFY=NEVER,SUCCESS").expect("501 5.5.4 Bad NOTIFY value");
            d.send("RCPT TO:<x@far.test> NOTIFY=SUCCESS,SUCCESS").expect("501 5.5.4 Bad NOTIFY value");
            d.send("RCPT TO:<x@far.test> ORCPT=rfc822").expect("501 5.5.4 Bad ORCPT value");
            d.send("RCPT TO:<x@far.test> FOO=1").expect("555 5.5.4 Unsupported option: FOO");
            d.send("RCPT TO:x@far.test").expect("501 5.1.3 Bad recipient address syntax");
            d.send("RCPT FROM:<x@far.test>").expect("501 5.5.4 Syntax: RCPT TO:<address>");
            d.send("RCPT TO:<jörg@far.test>").expect("553 5.6.7");
            d.send("RCPT TO:<x@far.test> NOTIFY=failure,DELAY ORCPT=rfc822;x+40far.test").expect("250 2.1.5");
            d.send("DATA").expect("354");
            d.raw(".\r\n").expect("250 2.0.0");
            assertThat(d.queued().get(0).recipients()).containsExactly(new EnvelopeRecipient("x@far.test",
                    Set.of(Notify.FAILURE, Notify.DELAY), "rfc822;x+40far.test"));
        }
    }
}
