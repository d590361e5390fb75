package dev.kanmon.e2e;

import static dev.kanmon.e2e.E2eStack.ALICE;
import static dev.kanmon.e2e.E2eStack.ALICE_ADDRESS;
import static dev.kanmon.e2e.E2eStack.ALICE_PASSWORD;
import static dev.kanmon.e2e.E2eStack.BOB_ADDRESS;
import static dev.kanmon.e2e.E2eStack.SUBMISSION;
import static dev.kanmon.e2e.E2eStack.SUBMISSIONS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Submission on 587/465 driven by curl (libcurl's SMTP client, certificate verified). */
class CurlSubmissionE2ETest extends E2eBase {

    @Test
    void authPlainWithStartTlsOn587IsQueuedAndArrivesIntact() throws Exception {
        TestMessage m = new TestMessage("curl-plain-587", ALICE_ADDRESS, BOB_ADDRESS);
        Proc.Result r = curl("smtp", SUBMISSION, "AUTH=PLAIN", ALICE, ALICE_PASSWORD, ALICE_ADDRESS, BOB_ADDRESS,
                m.writeCrlf(E2eStack.workDir()), null);
        List<Reply> replies = Transcripts.curl(r.output());
        assertThat(r.output()).as("curl negotiated TLS (STARTTLS) before AUTH").contains("SSL connection using TLS");
        assertThat(replies).as("AUTH reply in\n%s", r).anyMatch(x -> x.code() == 235);
        Expect.queued(r, replies);
        assertThat(r.exitCode()).as("curl exit code\n%s", r).isZero();
        Sink.assertDeliveredIntact(m, ALICE_ADDRESS, BOB_ADDRESS);
    }

    @Test
    void authLoginOverSmtpsOn465IsQueuedAndArrivesIntact() throws Exception {
        TestMessage m = new TestMessage("curl-login-465", ALICE_ADDRESS, BOB_ADDRESS);
        Proc.Result r = curl("smtps", SUBMISSIONS, "AUTH=LOGIN", ALICE, ALICE_PASSWORD, ALICE_ADDRESS, BOB_ADDRESS,
                m.writeCrlf(E2eStack.workDir()), null);
        List<Reply> replies = Transcripts.curl(r.output());
        assertThat(replies).as("AUTH reply in\n%s", r).anyMatch(x -> x.code() == 235);
        Expect.queued(r, replies);
        assertThat(r.exitCode()).as("curl exit code\n%s", r).isZero();
        Sink.assertDeliveredIntact(m, ALICE_ADDRESS, BOB_ADDRESS);
    }

    @Test
    void wrongPasswordOverSmtpsIsRefusedWith535() throws Exception {
        TestMessage m = new TestMessage("curl-wrong-password", "bob@example.test", BOB_ADDRESS);
        Proc.Result r = curl("smtps", SUBMISSIONS, "AUTH=PLAIN", "bob", "not-bobs-password", "bob@example.test",
                BOB_ADDRESS, m.writeCrlf(E2eStack.workDir()), null);
        Expect.refused(r, Transcripts.curl(r.output()), 535, "5.7.8");
        assertThat(r.exitCode()).as("curl exit code (67 = login denied)\n%s", r).isEqualTo(67);
    }
}
