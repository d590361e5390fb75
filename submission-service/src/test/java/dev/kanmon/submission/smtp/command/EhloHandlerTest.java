package dev.kanmon.submission.smtp.command;

import dev.kanmon.submission.smtp.Dialogue;
import dev.kanmon.submission.smtp.ListenerKind;
import dev.kanmon.submission.smtp.TestAuth;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** EHLO in memory: the keyword list says only what the session can do now. */
class EhloHandlerTest {

    @Test
    void port25OffersStartTlsButNoAuth() {
        try (Dialogue d = Dialogue.on(ListenerKind.SMTP).mechanisms(TestAuth.plain(Map.of())).open()) {
            d.send("EHLO client.test").expect("250-relay.test", "250-PIPELINING", "250-SIZE 1000", "250-8BITMIME",
                    "250-ENHANCEDSTATUSCODES", "250-STARTTLS", "250-DSN", "250-SMTPUTF8", "250 CHUNKING");
        }
    }

    @Test
    void submissionBeforeTlsOffersNoAuthWhenTlsIsRequired() {
        try (Dialogue d = Dialogue.on(ListenerKind.SUBMISSION).mechanisms(TestAuth.plain(Map.of()), TestAuth.cramMd5())
                .open()) {
            d.send("EHLO client.test").expect("250-relay.test", "250-PIPELINING", "250-SIZE 1000", "250-8BITMIME",
                    "250-ENHANCEDSTATUSCODES", "250-STARTTLS", "250-DSN", "250-SMTPUTF8", "250 CHUNKING");
        }
    }

    @Test
    void mechanismsThatRequireTlsWaitForIt() {
        try (Dialogue d = Dialogue.on(ListenerKind.SUBMISSION).tls(true, false)
                .mechanisms(TestAuth.plain(Map.of()), TestAuth.cramMd5()).open()) {
            d.send("EHLO client.test").expect("250-relay.test", "250-PIPELINING", "250-SIZE 1000", "250-8BITMIME",
                    "250-ENHANCEDSTATUSCODES", "250-STARTTLS", "250-AUTH CRAM-MD5", "250-DSN", "250-SMTPUTF8",
                    "250 CHUNKING");
            d.send("STARTTLS").expect("220 2.0.0");
            // strongest first, and the pre-RFC form old Outlook reads
            d.send("EHLO client.test").expect("250-relay.test", "250-PIPELINING", "250-SIZE 1000", "250-8BITMIME",
                    "250-ENHANCEDSTATUSCODES", "250-AUTH CRAM-MD5 PLAIN", "250-AUTH=PLAIN", "250-DSN",
                    "250-SMTPUTF8", "250 CHUNKING");
        }
    }

    @Test
    void implicitTlsOffersAuthAndNoStartTls() {
        try (Dialogue d = Dialogue.on(ListenerKind.SUBMISSIONS).mechanisms(TestAuth.plain(Map.of("bob", "pw")))
                .open()) {
            d.send("EHLO client.test").expect("250-relay.test", "250-PIPELINING", "250-SIZE 1000", "250-8BITMIME",
                    "250-ENHANCEDSTATUSCODES", "250-AUTH PLAIN", "250-AUTH=PLAIN", "250-DSN", "250-SMTPUTF8",
                    "250 CHUNKING");
            d.send("AUTH PLAIN AGJvYgBwdw==").expect("235 2.7.0");
            // authenticated: AUTH is no longer offered
            d.send("EHLO client.test").expect("250-relay.test", "250-PIPELINING", "250-SIZE 1000", "250-8BITMIME",
                    "250-ENHANCEDSTATUSCODES", "250-DSN", "250-SMTPUTF8", "250 CHUNKING");
        }
    }

    @Test
    void withoutACertificateThereIsNoStartTls() {
        try (Dialogue d = Dialogue.on(ListenerKind.SMTP).tls(false, false).open()) {
            d.send("EHLO client.test").expect("250-relay.test", "250-PIPELINING", "250-SIZE 1000", "250-8BITMIME",
                    "250-ENHANCEDSTATUSCODES", "250-DSN", "250-SMTPUTF8", "250 CHUNKING");
        }
    }

    @Test
    void aNameIsRequiredAndAnyPrintableTokenIsTaken() {
        try (Dialogue d = Dialogue.on(ListenerKind.SMTP).open()) {
            d.send("EHLO").expect("501 5.5.4 Syntax: EHLO hostname");
            d.send("EHLO two words").expect("501 5.5.4");
            d.send("EHLO [192.0.2.1]").expect("250-relay.test", "250-", "250-", "250-", "250-", "250-", "250-", "250-",
                    "250 CHUNKING");
        }
    }

    @Test
    void ehloEndsATransaction() {
        try (Dialogue d = Dialogue.on(ListenerKind.SMTP).from("127.0.0.1").open()) {
            d.send("EHLO client.test").replies();
            d.send("MAIL FROM:<a@far.test>").expect("250 2.1.0");
            d.send("EHLO client.test").replies();
            d.send("RCPT TO:<b@far.test>").expect("503 5.5.1 Error: need MAIL command");
            d.send("MAIL FROM:<a@far.test>").expect("250 2.1.0");
        }
    }
}
