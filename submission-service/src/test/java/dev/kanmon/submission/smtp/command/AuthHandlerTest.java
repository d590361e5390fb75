package dev.kanmon.submission.smtp.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.core.smtp.SmtpReply;
import dev.kanmon.submission.config.SubmissionConfig.AuthenticatedAction;
import dev.kanmon.submission.dnsbl.ScreenVerdict;
import dev.kanmon.submission.smtp.Dialogue;
import dev.kanmon.submission.smtp.ListenerKind;
import dev.kanmon.submission.smtp.TestAuth;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * AUTH in memory (RFC 4954) with the real PLAIN and CRAM-MD5 mechanisms: where AUTH is allowed, the SASL framing
 * ({@code 334}, {@code *}, base64), and DNSBL at AUTH.
 */
class AuthHandlerTest {

    private static final String BOB = "AGJvYgBwdw=="; // \0bob\0pw

    private static Dialogue submissions(Dialogue.Setup setup) {
        Dialogue d = setup.mechanisms(TestAuth.plain(Map.of("bob", "pw")), TestAuth.cramMd5()).open();
        d.send("EHLO client.test").replies();
        return d;
    }

    @Test
    void notOnPort25AndNotBeforeTheGreeting() {
        try (Dialogue d = Dialogue.on(ListenerKind.SMTP).open()) {
            d.send("EHLO client.test").replies();
            d.send("AUTH PLAIN " + BOB).expect("503 5.5.1 Error: authentication not enabled");
        }
        try (Dialogue d = Dialogue.on(ListenerKind.SUBMISSIONS).mechanisms(TestAuth.plain(Map.of())).open()) {
            d.send("AUTH PLAIN " + BOB).expect("503 5.5.1 Error: send HELO/EHLO first");
        }
    }

    @Test
    void tlsFirst() {
        try (Dialogue d = submissions(Dialogue.on(ListenerKind.SUBMISSION))) {
            d.send("AUTH CRAM-MD5").expect("530 5.7.0 Must issue a STARTTLS command first");
        }
        try (Dialogue d = submissions(Dialogue.on(ListenerKind.SUBMISSION).tls(true, false))) {
            d.send("AUTH PLAIN " + BOB)
                    .expect("538 5.7.11 Encryption required for requested authentication mechanism");
            d.send("AUTH CRAM-MD5").expect("334 ");
        }
    }

    @Test
    void plainWithAndWithoutAnInitialResponse() {
        try (Dialogue d = submissions(Dialogue.on(ListenerKind.SUBMISSIONS))) {
            d.send("AUTH PLAIN AGJvYgB3cm9uZw==").expect("535 5.7.8 Authentication credentials invalid");
            d.send("AUTH PLAIN").expect("334 ");
            d.send(BOB).expect("235 2.7.0 Authentication successful");
            d.send("AUTH PLAIN " + BOB).expect("503 5.5.1 Error: already authenticated");
        }
    }

    @Test
    void theClientMayCancelAndBadBase64EndsTheExchange() {
        try (Dialogue d = submissions(Dialogue.on(ListenerKind.SUBMISSIONS))) {
            d.send("AUTH PLAIN").expect("334 ");
            d.send("*").expect("501 5.0.0 Authentication cancelled");
            d.send("AUTH PLAIN").expect("334 ");
            d.send("not base64!").expect("501 5.5.2 Invalid base64 data");
            d.send("NOOP").expect("250 2.0.0");
            d.send("AUTH PLAIN !!!").expect("501 5.5.2 Invalid base64 data");
        }
    }

    @Test
    void argumentsAndMechanismsAreChecked() {
        try (Dialogue d = submissions(Dialogue.on(ListenerKind.SUBMISSIONS))) {
            d.send("AUTH").expect("501 5.5.4 Syntax: AUTH mechanism [initial-response]");
            d.send("AUTH PLAIN a b").expect("501 5.5.4");
            d.send("AUTH GSSAPI").expect("504 5.5.4 Unrecognized authentication type");
        }
    }

    @Test
    void aListedClientsValidCredentialsAreRefusedWhenTheOperatorSaysBlock() {
        SmtpReply listed = SmtpReply.of(554, "5.7.1", "Service unavailable; client host listed");
        ScreenVerdict block = new ScreenVerdict(ScreenVerdict.Verdict.BLOCK, 9, listed, List.of("zen.test"));
        try (Dialogue d = submissions(Dialogue.on(ListenerKind.SUBMISSIONS)
                .screen(ip -> Future.succeededFuture(block), false, AuthenticatedAction.BLOCK))) {
            d.send("AUTH PLAIN " + BOB).expect("554 5.7.1 Service unavailable; client host listed");
            d.send("MAIL FROM:<bob@example.test>").expect("530 5.7.0 Authentication required");
        }
        try (Dialogue d = submissions(Dialogue.on(ListenerKind.SUBMISSIONS)
                .screen(ip -> Future.succeededFuture(block), false, AuthenticatedAction.FLAG))) {
            d.send("AUTH PLAIN " + BOB).expect("235 2.7.0");
        }
        try (Dialogue d = submissions(Dialogue.on(ListenerKind.SUBMISSIONS)
                .screen(ip -> Future.failedFuture("dnsbl-service down"), false, AuthenticatedAction.BLOCK))) {
            d.send("AUTH PLAIN " + BOB).expect("235 2.7.0");
        }
    }

    /** The DNSBL listings each credential check carried to the auth-service under a screen and action. */
    private static List<List<String>> carried(ScreenVerdict verdict, AuthenticatedAction action, String auth,
            String reply) {
        List<List<String>> seen = new ArrayList<>();
        Dialogue.Setup setup = Dialogue.on(ListenerKind.SUBMISSIONS)
                .mechanisms(TestAuth.plain(Map.of("bob", "pw"), seen::add), TestAuth.cramMd5());
        if (verdict != null) {
            setup.screen(ip -> verdict == ScreenVerdict.PASS_UNCHECKED ? Future.failedFuture("dnsbl-service down")
                    : Future.succeededFuture(verdict), false, action);
        }
        try (Dialogue d = setup.open()) {
            d.send("EHLO client.test").replies();
            d.send("AUTH PLAIN " + auth).expect(reply);
        }
        return seen;
    }

    @Test
    void theDnsblVerdictAtAuthIsPassedWithTheCredentialCheck() {
        SmtpReply listed = SmtpReply.of(554, "5.7.1", "Service unavailable; client host listed");
        ScreenVerdict block = new ScreenVerdict(ScreenVerdict.Verdict.BLOCK, 9, listed, List.of("bl.test: spam"));
        ScreenVerdict flag = new ScreenVerdict(ScreenVerdict.Verdict.FLAG, 2, null, List.of("pbl.test: dynamic"));
        ScreenVerdict pass = new ScreenVerdict(ScreenVerdict.Verdict.PASS, 0, null, List.of());
        // listed: the listings go with the check, whether the AUTH then stands (flag) or is refused (block)
        assertThat(carried(flag, AuthenticatedAction.FLAG, BOB, "235 2.7.0")).containsExactly(List.of("pbl.test: dynamic"));
        assertThat(carried(block, AuthenticatedAction.BLOCK, BOB, "554 5.7.1"))
                .containsExactly(List.of("bl.test: spam"));
        assertThat(carried(block, AuthenticatedAction.FLAG, "AGJvYgB3cm9uZw==", "535 5.7.8"))
                .containsExactly(List.of("bl.test: spam")); // \0bob\0wrong
        // checked and not listed: an empty list
        assertThat(carried(pass, AuthenticatedAction.FLAG, BOB, "235 2.7.0")).containsExactly(List.of());
        // not checked (no DNSBL, action ignore, no answer): nothing, so the auth-service can tell it from "not listed"
        assertThat(carried(null, null, BOB, "235 2.7.0")).containsExactly((List<String>) null);
        assertThat(carried(block, AuthenticatedAction.IGNORE, BOB, "235 2.7.0")).containsExactly((List<String>) null);
        assertThat(carried(ScreenVerdict.PASS_UNCHECKED, AuthenticatedAction.BLOCK, BOB, "235 2.7.0"))
                .containsExactly((List<String>) null);
    }

    @Test
    void anOverlongAuthLineIsAllowedUpToTheAuthLimit() {
        try (Dialogue d = submissions(Dialogue.on(ListenerKind.SUBMISSIONS))) {
            String longResponse = "A".repeat(600);
            d.send("AUTH PLAIN " + longResponse).expect("501 5.5.2 Cannot decode AUTH response");
            d.send("NOOP " + "x".repeat(600)).expect("500 5.5.2 Line too long");
            assertThat(d.closed()).isFalse();
        }
    }
}
