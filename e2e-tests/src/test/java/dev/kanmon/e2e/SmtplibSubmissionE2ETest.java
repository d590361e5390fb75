package dev.kanmon.e2e;

import static dev.kanmon.e2e.E2eStack.ALICE;
import static dev.kanmon.e2e.E2eStack.ALICE_ADDRESS;
import static dev.kanmon.e2e.E2eStack.ALICE_ALIAS;
import static dev.kanmon.e2e.E2eStack.ALICE_PASSWORD;
import static dev.kanmon.e2e.E2eStack.BOB_ADDRESS;
import static dev.kanmon.e2e.E2eStack.SUBMISSION;
import static dev.kanmon.e2e.E2eStack.SUBMISSIONS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Submission on 587/465 driven by Python's smtplib (what many scripts and apps use). */
class SmtplibSubmissionE2ETest extends E2eBase {

    @Test
    void authPlainWithStartTlsOn587IsQueuedAndArrivesIntact() throws Exception {
        TestMessage m = new TestMessage("smtplib-plain-587", ALICE_ADDRESS, BOB_ADDRESS);
        Proc.Result r = smtplib("starttls", SUBMISSION, "PLAIN", ALICE, ALICE_PASSWORD, ALICE_ADDRESS, BOB_ADDRESS,
                m.writeCrlf(E2eStack.workDir()));
        List<Reply> replies = Transcripts.python(r.output());
        assertThat(replies).as("AUTH reply in\n%s", r).anyMatch(x -> x.code() == 235);
        Expect.queued(r, replies);
        assertThat(r.exitCode()).as("driver exit code\n%s", r).isZero();
        Sink.assertDeliveredIntact(m, ALICE_ADDRESS, BOB_ADDRESS);
    }

    @Test
    void authLoginOverSslOn465IsQueuedAndArrivesIntact() throws Exception {
        TestMessage m = new TestMessage("smtplib-login-465", ALICE_ADDRESS, BOB_ADDRESS);
        Proc.Result r = smtplib("ssl", SUBMISSIONS, "LOGIN", ALICE, ALICE_PASSWORD, ALICE_ADDRESS, BOB_ADDRESS,
                m.writeCrlf(E2eStack.workDir()));
        List<Reply> replies = Transcripts.python(r.output());
        assertThat(replies).as("AUTH reply in\n%s", r).anyMatch(x -> x.code() == 235);
        Expect.queued(r, replies);
        Sink.assertDeliveredIntact(m, ALICE_ADDRESS, BOB_ADDRESS);
    }

    @Test
    void registeredAliasIsAnAllowedSender() throws Exception {
        TestMessage m = new TestMessage("smtplib-alias", ALICE_ALIAS, BOB_ADDRESS);
        Proc.Result r = smtplib("starttls", SUBMISSION, "PLAIN", ALICE, ALICE_PASSWORD, ALICE_ALIAS, BOB_ADDRESS,
                m.writeCrlf(E2eStack.workDir()));
        Expect.queued(r, Transcripts.python(r.output()));
        Sink.assertDeliveredIntact(m, ALICE_ALIAS, BOB_ADDRESS);
    }
}
