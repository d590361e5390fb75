package dev.kanmon.submission.smtp.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.submission.smtp.Dialogue;
import dev.kanmon.submission.smtp.ListenerKind;
import dev.kanmon.submission.smtp.TestAuth;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** STARTTLS in memory (RFC 3207): when it is offered, what is forgotten, and that pipelined plaintext is dropped. */
class StartTlsHandlerTest {

    @Test
    void notTwiceNotOn465NotWithoutACertificate() {
        try (Dialogue d = Dialogue.on(ListenerKind.SMTP).open()) {
            d.send("STARTTLS now").expect("501 5.5.4 Syntax: STARTTLS");
            d.send("STARTTLS").expect("220 2.0.0 Ready to start TLS");
            d.send("STARTTLS").expect("503 5.5.1 Error: TLS already active");
        }
        try (Dialogue d = Dialogue.on(ListenerKind.SUBMISSIONS).open()) {
            d.send("STARTTLS").expect("503 5.5.1 Error: TLS already active");
        }
        try (Dialogue d = Dialogue.on(ListenerKind.SMTP).tls(false, false).open()) {
            d.send("STARTTLS").expect("454 4.7.0 TLS not available due to temporary reason");
        }
    }

    @Test
    void plaintextPipelinedAfterStartTlsIsNeverExecuted() {
        try (Dialogue d = Dialogue.on(ListenerKind.SMTP).from("127.0.0.1").open()) {
            d.send("EHLO client.test").replies();
            // CVE-2011-0411: the injected MAIL must not run inside the TLS session
            d.raw("STARTTLS\r\nMAIL FROM:<injected@far.test>\r\n").expect("220 2.0.0");
            d.send("RCPT TO:<x@far.test>").expect("503 5.5.1 Error: need MAIL command");
        }
    }

    @Test
    void theSessionStartsAfreshUnderTls() {
        try (Dialogue d = Dialogue.on(ListenerKind.SUBMISSION).tls(true, false)
                .mechanisms(TestAuth.cramMd5(), TestAuth.plain(Map.of("bob", "pw"))).open()) {
            d.send("EHLO client.test").replies();
            d.send("STARTTLS").expect("220 2.0.0");
            // RFC 3207 §4.2: the greeting is forgotten
            d.send("MAIL FROM:<bob@example.test>").expect("503 5.5.1 Error: send HELO/EHLO first");
            d.send("EHLO client.test").replies();
            d.send("AUTH PLAIN AGJvYgBwdw==").expect("235 2.7.0");
            assertThat(d.closed()).isFalse();
        }
    }
}
