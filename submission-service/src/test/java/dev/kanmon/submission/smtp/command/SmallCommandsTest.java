package dev.kanmon.submission.smtp.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kanmon.submission.smtp.Dialogue;
import dev.kanmon.submission.smtp.ListenerKind;
import org.junit.jupiter.api.Test;

/** HELO, RSET, NOOP, VRFY, HELP, QUIT and what the session itself answers (unknown verbs, long lines, errors). */
class SmallCommandsTest {

    @Test
    void heloIsOneLineAndNeedsAName() {
        try (Dialogue d = Dialogue.on(ListenerKind.SMTP).open()) {
            d.send("HELO").expect("501 5.5.4 Syntax: HELO hostname");
            d.send("HELO client.test").expect("250 relay.test");
        }
    }

    @Test
    void rsetDropsTheTransactionButNotTheGreeting() {
        try (Dialogue d = Dialogue.on(ListenerKind.SMTP).from("127.0.0.1").open()) {
            d.send("EHLO client.test").replies();
            d.send("MAIL FROM:<a@far.test>").expect("250 2.1.0");
            d.send("RSET x").expect("501 5.5.4 Syntax: RSET");
            d.send("RSET").expect("250 2.0.0 Ok");
            d.send("RCPT TO:<x@far.test>").expect("503 5.5.1 Error: need MAIL command");
            d.send("MAIL FROM:<a@far.test>").expect("250 2.1.0");
        }
    }

    @Test
    void noopVrfyAndHelpAnswerAnyone() {
        try (Dialogue d = Dialogue.on(ListenerKind.SMTP).open()) {
            d.send("NOOP whatever").expect("250 2.0.0 Ok");
            d.send("VRFY alice").expect("252 2.5.2 Cannot VRFY user, but will accept message and attempt delivery");
            d.send("HELP").expect("214 2.0.0 Commands: EHLO HELO STARTTLS AUTH MAIL RCPT DATA BDAT RSET NOOP VRFY HELP QUIT");
        }
    }

    @Test
    void quitSaysByeAndCloses() {
        try (Dialogue d = Dialogue.on(ListenerKind.SMTP).open()) {
            d.raw("QUIT\r\nNOOP\r\n").expect("221 2.0.0 Bye");
            assertThat(d.closed()).isTrue();
        }
    }

    @Test
    void unknownVerbsLongLinesAndTooManyErrors() {
        try (Dialogue d = Dialogue.on(ListenerKind.SMTP).hardErrorLimit(3).open()) {
            d.send("FOO").expect("500 5.5.2 Error: command not recognized");
            d.send("NOOP " + "x".repeat(600)).expect("500 5.5.2 Line too long");
            d.send("BAR").expect("500 5.5.2", "421 4.7.0 relay.test Error: too many errors");
            assertThat(d.closed()).isTrue();
        }
    }
}
