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

/** Submission on 587/465 driven by swaks (the classic SMTP test client). */
class SwaksSubmissionE2ETest extends E2eBase {

    @Test
    void authPlainWithStartTlsOn587IsQueuedAndArrivesIntact() throws Exception {
        TestMessage m = new TestMessage("swaks-plain-587", ALICE_ADDRESS, BOB_ADDRESS);
        Proc.Result r = swaks(SUBMISSION, "starttls", "PLAIN", ALICE, ALICE_PASSWORD, ALICE_ADDRESS, BOB_ADDRESS,
                m.writeLf(E2eStack.workDir()), null);
        List<Reply> replies = Transcripts.swaks(r.output());
        assertThat(replies).as("AUTH reply in\n%s", r).anyMatch(x -> x.code() == 235);
        Expect.queued(r, replies);
        assertThat(r.exitCode()).as("swaks exit code\n%s", r).isZero();
        Sink.assertDeliveredIntact(m, ALICE_ADDRESS, BOB_ADDRESS);
    }

    @Test
    void authLoginWithImplicitTlsOn465IsQueuedAndArrivesIntact() throws Exception {
        TestMessage m = new TestMessage("swaks-login-465", ALICE_ADDRESS, BOB_ADDRESS);
        Proc.Result r = swaks(SUBMISSIONS, "onconnect", "LOGIN", ALICE, ALICE_PASSWORD, ALICE_ADDRESS, BOB_ADDRESS,
                m.writeLf(E2eStack.workDir()), null);
        List<Reply> replies = Transcripts.swaks(r.output());
        assertThat(replies).as("AUTH reply in\n%s", r).anyMatch(x -> x.code() == 235);
        Expect.queued(r, replies);
        Sink.assertDeliveredIntact(m, ALICE_ADDRESS, BOB_ADDRESS);
    }

    @Test
    void receivedHeaderRecordsAuthenticatedSubmission() throws Exception {
        TestMessage m = new TestMessage("swaks-received", ALICE_ADDRESS, BOB_ADDRESS);
        Proc.Result r = swaks(SUBMISSION, "starttls", "PLAIN", ALICE, ALICE_PASSWORD, ALICE_ADDRESS, BOB_ADDRESS,
                m.writeLf(E2eStack.workDir()), null);
        String queueId = Expect.queued(r, Transcripts.swaks(r.output()));
        Sink.Dump d = Sink.await(m);
        // The first Received is the sink's own; Kanmon's is the next one (RFC 3848: ESMTPSA).
        assertThat(d.all("Received")).as("Received headers in %s", d.file())
                .anySatisfy(f -> assertThat(f.value()).contains("ESMTPSA").contains(queueId));
    }

    @Test
    void wrongPasswordIsRefusedWith535() throws Exception {
        TestMessage m = new TestMessage("swaks-wrong-password", "carol@example.test", BOB_ADDRESS);
        Proc.Result r = swaks(SUBMISSION, "starttls", "PLAIN", "carol", "not-carols-password", "carol@example.test",
                BOB_ADDRESS, m.writeLf(E2eStack.workDir()), null);
        Expect.refused(r, Transcripts.swaks(r.output()), 535, "5.7.8");
        assertThat(r.exitCode()).as("swaks exit code\n%s", r).isNotZero();
    }

    @Test
    void mailWithoutAuthOn587IsRefusedWith530() throws Exception {
        TestMessage m = new TestMessage("swaks-noauth", ALICE_ADDRESS, BOB_ADDRESS);
        Proc.Result r = swaks(SUBMISSION, "starttls", null, null, null, ALICE_ADDRESS, BOB_ADDRESS,
                m.writeLf(E2eStack.workDir()), null);
        Expect.refused(r, Transcripts.swaks(r.output()), 530, "5.7.0");
    }

    @Test
    void senderNotOwnedByTheUserIsRefusedWith553() throws Exception {
        TestMessage m = new TestMessage("swaks-foreign-sender", "bob@example.test", BOB_ADDRESS);
        Proc.Result r = swaks(SUBMISSION, "starttls", "PLAIN", ALICE, ALICE_PASSWORD, "bob@example.test",
                BOB_ADDRESS, m.writeLf(E2eStack.workDir()), null);
        List<Reply> replies = Transcripts.swaks(r.output());
        assertThat(replies).as("AUTH reply in\n%s", r).anyMatch(x -> x.code() == 235);
        Expect.refused(r, replies, 553, "5.7.1");
    }
}
