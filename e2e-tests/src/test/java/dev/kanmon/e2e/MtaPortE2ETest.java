package dev.kanmon.e2e;

import static dev.kanmon.e2e.E2eStack.ALICE_ADDRESS;
import static dev.kanmon.e2e.E2eStack.BOB_ADDRESS;
import static dev.kanmon.e2e.E2eStack.LISTED_SOURCE;
import static dev.kanmon.e2e.E2eStack.MTA;
import static dev.kanmon.e2e.E2eStack.TRUSTED_SOURCE;
import static dev.kanmon.e2e.E2eStack.UNTRUSTED_SOURCE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The MTA port (25 in production, 2525 locally): relay only from the ISP's own networks. */
class MtaPortE2ETest extends E2eBase {

    @Test
    void trustedNetworkRelaysWithoutAuthAndTheMessageArrivesIntact() throws Exception {
        TestMessage m = new TestMessage("swaks-mta-trusted", ALICE_ADDRESS, BOB_ADDRESS);
        Proc.Result r = swaks(MTA, "none", null, null, null, ALICE_ADDRESS, BOB_ADDRESS,
                m.writeLf(E2eStack.workDir()), TRUSTED_SOURCE);
        Expect.queued(r, Transcripts.swaks(r.output()));
        Sink.assertDeliveredIntact(m, ALICE_ADDRESS, BOB_ADDRESS);
    }

    @Test
    void untrustedSourceIsDeniedRelayBySwaks() throws Exception {
        TestMessage m = new TestMessage("swaks-mta-untrusted", ALICE_ADDRESS, BOB_ADDRESS);
        Proc.Result r = swaks(MTA, "none", null, null, null, ALICE_ADDRESS, BOB_ADDRESS,
                m.writeLf(E2eStack.workDir()), UNTRUSTED_SOURCE);
        Reply refusal = Expect.refused(r, Transcripts.swaks(r.output()), 554, "5.7.1");
        assertThat(refusal.text()).as("reply text").contains("Relay access denied");
    }

    @Test
    void untrustedSourceIsDeniedRelayByCurl() throws Exception {
        TestMessage m = new TestMessage("curl-mta-untrusted", ALICE_ADDRESS, BOB_ADDRESS);
        Proc.Result r = curl("smtp", MTA, null, null, null, ALICE_ADDRESS, BOB_ADDRESS,
                m.writeCrlf(E2eStack.workDir()), UNTRUSTED_SOURCE);
        Reply refusal = Expect.refused(r, Transcripts.curl(r.output()), 554, "5.7.1");
        assertThat(refusal.text()).as("reply text").contains("Relay access denied");
        assertThat(r.exitCode()).as("curl exit code\n%s", r).isNotZero();
    }

    @Test
    void sourceListedInTheTestDnsblIsRefusedWith554() throws Exception {
        // 127.0.0.2 is untrusted AND listed in bl.test. Relay is denied to it at RCPT with a 554 5.7.1 as well, so
        // only a refusal in place of the greeting, naming the list, shows that the DNSBL screened it.
        TestMessage m = new TestMessage("swaks-mta-listed", ALICE_ADDRESS, BOB_ADDRESS);
        Proc.Result r = swaks(MTA, "none", null, null, null, ALICE_ADDRESS, BOB_ADDRESS,
                m.writeLf(E2eStack.workDir()), LISTED_SOURCE);
        List<Reply> replies = Transcripts.swaks(r.output());
        Reply refusal = Expect.refused(r, replies, 554, "5.7.1");
        assertThat(replies.get(0)).as("refused instead of the greeting, in:\n%s", r).isEqualTo(refusal);
        assertThat(refusal.text()).as("reply text").contains("[" + LISTED_SOURCE + "] blocked using bl.test")
                .doesNotContain("Relay access denied");
    }
}
