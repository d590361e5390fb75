package dev.kanmon.e2e;

import static dev.kanmon.e2e.E2eStack.ALICE;
import static dev.kanmon.e2e.E2eStack.ALICE_ADDRESS;
import static dev.kanmon.e2e.E2eStack.ALICE_PASSWORD;
import static dev.kanmon.e2e.E2eStack.BOB_ADDRESS;
import static dev.kanmon.e2e.E2eStack.HOST;
import static dev.kanmon.e2e.E2eStack.TRUSTED_SOURCE;
import static dev.kanmon.e2e.E2eStack.UNTRUSTED_SOURCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PROXY protocol v1 and v2 from a trusted load balancer (R8): the client address in the header is the one the
 * DNSBL screen, the relay check and the Received header see; a header from any other peer is not believed.
 * The "load balancer" is this test, connecting from 127.0.0.1 (trusted) or 127.0.0.3 (not trusted).
 */
class ProxyProtocolE2ETest extends E2eBase {

    private static final int SUBMISSION = 5587;
    private static final int MTA = 5525;
    /** TEST-NET-2: in no test DNSBL zone. */
    private static final String CLEAN_CLIENT = "198.51.100.23";
    /** TEST-NET-1: listed in bl.test (bin/stack/rbldnsd). */
    private static final String LISTED_CLIENT = "192.0.2.10";

    private static SubmissionReplica replica;

    @BeforeAll
    static void startBehindLoadBalancer() throws Exception {
        replica = SubmissionReplica.start("proxy", SUBMISSION, 18094,
                "kanmon.submission.submission.proxy-protocol=true",
                "kanmon.submission.smtp.proxy-protocol=true",
                "kanmon.submission.proxy-protocol.trusted-networks=" + TRUSTED_SOURCE + "/32");
    }

    @AfterAll
    static void stop() throws Exception {
        if (replica != null) {
            replica.close();
        }
    }

    @Test
    void v1HeaderClientIsScreenedByTheDnsbl() throws Exception {
        try (SmtpClient c = SmtpClient.connect(HOST, MTA, TRUSTED_SOURCE)) {
            c.write("PROXY TCP4 " + LISTED_CLIENT + " 127.0.0.1 40001 " + MTA + "\r\n");
            Reply greeting = c.read();
            assertThat(greeting.code()).as(c.transcript()).isEqualTo(554);
            assertThat(greeting.enhanced()).as(c.transcript()).isEqualTo("5.7.1");
            assertThat(greeting.text()).as(c.transcript()).contains("bl.test");
        }
    }

    @Test
    void v1HeaderClientIsNotTheTrustedNetworkOfTheLoadBalancer() throws Exception {
        // The load balancer itself is in the relay's trusted networks; the client it speaks for is not.
        try (SmtpClient c = SmtpClient.connect(HOST, MTA, TRUSTED_SOURCE)) {
            c.write("PROXY TCP4 " + CLEAN_CLIENT + " 127.0.0.1 40002 " + MTA + "\r\n");
            assertThat(c.read().code()).as(c.transcript()).isEqualTo(220);
            assertThat(c.send("EHLO " + HELO).code()).as(c.transcript()).isEqualTo(250);
            assertThat(c.send("MAIL FROM:<someone@elsewhere.test>").code()).as(c.transcript()).isEqualTo(250);
            Reply rcpt = c.send("RCPT TO:<" + BOB_ADDRESS + ">");
            assertThat(rcpt.code()).as(c.transcript()).isEqualTo(554);
            assertThat(rcpt.enhanced()).as(c.transcript()).isEqualTo("5.7.1");
        }
    }

    @Test
    void v2HeaderClientAppearsInTheReceivedHeader() throws Exception {
        TestMessage m = new TestMessage("proxy-v2", ALICE_ADDRESS, BOB_ADDRESS);
        try (SmtpClient c = SmtpClient.connect(HOST, SUBMISSION, TRUSTED_SOURCE)) {
            c.writeBytes(v2Header(CLEAN_CLIENT, 40003, "127.0.0.1", SUBMISSION));
            assertThat(c.read().code()).as(c.transcript()).isEqualTo(220);
            c.send("EHLO " + HELO);
            assertThat(c.startTls().code()).as(c.transcript()).isEqualTo(220);
            c.send("EHLO " + HELO);
            assertThat(c.authPlain(ALICE, ALICE_PASSWORD).code()).as(c.transcript()).isEqualTo(235);
            assertThat(c.send("MAIL FROM:<" + ALICE_ADDRESS + ">").code()).as(c.transcript()).isEqualTo(250);
            assertThat(c.send("RCPT TO:<" + BOB_ADDRESS + ">").code()).as(c.transcript()).isEqualTo(250);
            assertThat(c.data(m.dotStuffedCrlf()).code()).as(c.transcript()).isEqualTo(250);
        }
        Sink.Dump d = Sink.assertDeliveredIntact(m, ALICE_ADDRESS, BOB_ADDRESS);
        assertThat(d.all("Received")).as("Received headers at the sink")
                .anySatisfy(f -> assertThat(f.value()).contains("[" + CLEAN_CLIENT + "]"));
    }

    @Test
    void headerFromAnUntrustedPeerIsNotBelieved() throws Exception {
        // 127.0.0.3 pretends to be a load balancer speaking for the trusted relay network.
        try (SmtpClient c = SmtpClient.connect(HOST, MTA, UNTRUSTED_SOURCE)) {
            c.write("PROXY TCP4 127.0.0.1 127.0.0.1 40004 " + MTA + "\r\n");
            assertThatThrownBy(c::read).isInstanceOf(IOException.class);
        }
        assertThat(replica.logText()).contains("PROXY header from untrusted peer " + UNTRUSTED_SOURCE);
    }

    /** A PROXY protocol v2 header (binary, TCP over IPv4), as HAProxy or a cloud load balancer sends it. */
    private static byte[] v2Header(String source, int sourcePort, String destination, int destinationPort)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        out.write(0x21); // version 2, PROXY command
        out.write(0x11); // AF_INET, STREAM
        ByteBuffer addresses = ByteBuffer.allocate(12)
                .put(InetAddress.getByName(source).getAddress())
                .put(InetAddress.getByName(destination).getAddress())
                .putShort((short) sourcePort)
                .putShort((short) destinationPort);
        out.write(0);
        out.write(12);
        out.write(addresses.array());
        return out.toByteArray();
    }
}
