package dev.kanmon.submission.smtp.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.core.queue.BodyType;
import dev.kanmon.core.queue.Ret;
import dev.kanmon.submission.message.Submission;
import dev.kanmon.submission.smtp.Dialogue;
import dev.kanmon.submission.smtp.ListenerKind;
import dev.kanmon.submission.smtp.TestAuth;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MAIL FROM in memory: sequence, who may send, the parameters and what they become in the envelope. */
class MailHandlerTest {

    private static Dialogue port25() {
        Dialogue d = Dialogue.on(ListenerKind.SMTP).from("127.0.0.1").open();
        d.send("EHLO client.test").replies();
        return d;
    }

    /** On 465 as bob, who owns bob@example.test. */
    private static Dialogue bob() {
        Dialogue d = Dialogue.on(ListenerKind.SUBMISSIONS).mechanisms(TestAuth.plain(Map.of("bob", "pw"))).open();
        d.send("EHLO client.test").replies();
        d.send("AUTH PLAIN AGJvYgBwdw==").expect("235 2.7.0");
        return d;
    }

    @Test
    void needsAGreetingAndNoTransactionUnderWay() {
        try (Dialogue d = Dialogue.on(ListenerKind.SMTP).open()) {
            d.send("MAIL FROM:<a@far.test>").expect("503 5.5.1 Error: send HELO/EHLO first");
            d.send("HELO client.test").expect("250 relay.test");
            d.send("MAIL FROM:<a@far.test>").expect("250 2.1.0 Ok");
            d.send("MAIL FROM:<a@far.test>").expect("503 5.5.1 Error: nested MAIL command");
        }
    }

    @Test
    void submissionNeedsTlsThenAuthentication() {
        try (Dialogue d = Dialogue.on(ListenerKind.SUBMISSION).mechanisms(TestAuth.plain(Map.of())).open()) {
            d.send("EHLO client.test").replies();
            d.send("MAIL FROM:<a@example.test>").expect("530 5.7.0 Must issue a STARTTLS command first");
            d.send("STARTTLS").expect("220 2.0.0");
            d.send("EHLO client.test").replies();
            d.send("MAIL FROM:<a@example.test>").expect("530 5.7.0 Authentication required");
        }
    }

    @Test
    void anAuthenticatedUserSendsOnlyAsItsOwnAddressesOrTheNullSender() {
        try (Dialogue d = bob()) {
            d.send("MAIL FROM:<alice@example.test>")
                    .expect("553 5.7.1 <alice@example.test>: Sender address rejected: not owned by user bob");
            d.send("MAIL FROM:<Bob@example.test>").expect("553 5.7.1"); // the local part is exact
            d.send("MAIL FROM:<bob@EXAMPLE.test>").expect("250 2.1.0");
            d.send("RSET").expect("250 2.0.0");
            d.send("MAIL FROM:<>").expect("250 2.1.0");
        }
    }

    @Test
    void grammarErrorsAreNamed() {
        try (Dialogue d = port25()) {
            d.send("MAIL TO:<a@far.test>").expect("501 5.5.4 Syntax: MAIL FROM:<address>");
            d.send("MAIL FROM:a@far.test").expect("501 5.1.7 Bad sender address syntax");
            d.send("MAIL FROM:<a@far.test> SIZE=abc").expect("501 5.5.4 Bad SIZE value");
            d.send("MAIL FROM:<a@far.test> BODY=9BIT").expect("501 5.5.4 Bad BODY value");
            d.send("MAIL FROM:<a@far.test> BODY=BINARYMIME").expect("555 5.5.4 BODY=BINARYMIME not supported");
            d.send("MAIL FROM:<a@far.test> SMTPUTF8=yes").expect("501 5.5.4 SMTPUTF8 takes no value");
            d.send("MAIL FROM:<a@far.test> RET=ALL").expect("501 5.5.4 Bad RET value");
            d.send("MAIL FROM:<a@far.test> ENVID=a+2").expect("501 5.5.4 Bad ENVID value");
            d.send("MAIL FROM:<a@far.test> AUTH=a+2").expect("501 5.5.4 Bad AUTH value");
            d.send("MAIL FROM:<a@far.test> XFORWARD=1").expect("555 5.5.4 Unsupported option: XFORWARD");
            d.send("MAIL FROM:<jürgen@far.test>").expect("553 5.6.7 Non-ASCII addresses need the SMTPUTF8 parameter");
            d.send("MAIL FROM:<a@far.test> SIZE=1001").expect("552 5.3.4 Message size exceeds fixed maximum");
        }
    }

    @Test
    void parametersReachTheEnvelope() {
        try (Dialogue d = port25()) {
            d.send("MAIL FROM: <jürgen@far.test> SIZE=10 BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=id+2B1 AUTH=<>")
                    .expect("250 2.1.0");
            d.send("RCPT TO:<x@far.test>").expect("250 2.1.5");
            d.send("DATA").expect("354");
            d.raw("hi\r\n.\r\n").expect("250 2.0.0 Ok: queued as Q1");
            Submission s = d.queued().get(0);
            assertThat(s.mailFrom()).isEqualTo("jürgen@far.test");
            assertThat(s.bodyType()).isEqualTo(BodyType.EIGHT_BIT_MIME);
            assertThat(s.smtpUtf8()).isTrue();
            assertThat(s.ret()).isEqualTo(Ret.HDRS);
            assertThat(s.envid()).isEqualTo("id+1");
        }
    }

    @Test
    void aRevokedUsersNextMailClosesTheSession() {
        try (Dialogue d = bob()) {
            assertThat(d.revoke("id-alice", "USER_DISABLED")).isFalse();
            assertThat(d.revoke("id-bob", "USER_DISABLED")).isTrue();
            d.send("MAIL FROM:<bob@example.test>")
                    .expect("421 4.7.0 relay.test Authentication no longer valid, closing connection");
            assertThat(d.closed()).isTrue();
        }
    }
}
