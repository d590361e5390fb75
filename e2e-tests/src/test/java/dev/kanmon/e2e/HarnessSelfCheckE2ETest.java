package dev.kanmon.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the test harness itself, without Kanmon: swaks, curl, smtplib and the scripted client
 * send a {@link TestMessage} straight to the sink MTA, and {@link Sink} must find it intact. When
 * these pass and a Kanmon test fails, the difference is Kanmon's.
 */
class HarnessSelfCheckE2ETest {

    private static final String SINK_HOST = "127.0.0.10";
    private static final int SINK_PORT = 2526;

    @BeforeAll
    static void sinkIsRunning() {
        assertThat(E2eStack.listening(SINK_HOST, SINK_PORT)).as("smtp-sink on %s:%d (bin/kanmon-stack start infra)",
                SINK_HOST, SINK_PORT).isTrue();
    }

    @Test
    void swaksToSink() throws Exception {
        TestMessage m = new TestMessage("self-swaks", "x@example.test", "bob@dest.test");
        Proc.Result r = Proc.run(List.of("swaks", "--server", SINK_HOST, "--port", String.valueOf(SINK_PORT),
                "--from", m.from, "--to", m.to, "--data", "@" + m.writeLf(E2eStack.workDir())), null, 60);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Transcripts.swaks(r.output())).as(r.toString()).anyMatch(x -> x.code() == 354);
        Sink.assertDeliveredIntact(m, m.from, m.to);
    }

    @Test
    void curlToSink() throws Exception {
        TestMessage m = new TestMessage("self-curl", "x@example.test", "bob@dest.test");
        Proc.Result r = Proc.run(List.of("curl", "-sS", "-v", "--url", "smtp://" + SINK_HOST + ":" + SINK_PORT + "/self.e2e.test",
                "--mail-from", m.from, "--mail-rcpt", m.to, "--upload-file", m.writeCrlf(E2eStack.workDir()).toString()),
                null, 60);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Sink.assertDeliveredIntact(m, m.from, m.to);
    }

    @Test
    void smtplibToSink() throws Exception {
        TestMessage m = new TestMessage("self-smtplib", "x@example.test", "bob@dest.test");
        java.nio.file.Path script = E2eStack.workDir().resolve("smtplib_client.py");
        try (var in = getClass().getResourceAsStream("/smtplib_client.py")) {
            java.nio.file.Files.write(script, in.readAllBytes());
        }
        Proc.Result r = Proc.run(List.of("python3", script.toString(), "--mode", "plain", "--host", SINK_HOST,
                "--port", String.valueOf(SINK_PORT), "--cafile", E2eStack.caCert().toString(),
                "--mail-from", m.from, "--rcpt", m.to, "--message", m.writeCrlf(E2eStack.workDir()).toString()), null, 60);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Transcripts.python(r.output())).as(r.toString()).anyMatch(x -> x.code() == 250);
        Sink.assertDeliveredIntact(m, m.from, m.to);
    }

    @Test
    void scriptedClientToSink() throws Exception {
        TestMessage m = new TestMessage("self-scripted", "x@example.test", "bob@dest.test");
        try (SmtpClient c = SmtpClient.connect(SINK_HOST, SINK_PORT)) {
            assertThat(c.read().code()).isEqualTo(220);
            assertThat(c.send("EHLO self.e2e.test").code()).isEqualTo(250);
            assertThat(c.send("MAIL FROM:<" + m.from + ">").code()).as(c.transcript()).isEqualTo(250);
            assertThat(c.send("RCPT TO:<" + m.to + ">").code()).as(c.transcript()).isEqualTo(250);
            assertThat(c.data(m.dotStuffedCrlf()).code()).as(c.transcript()).isEqualTo(250);
        }
        Sink.assertDeliveredIntact(m, m.from, m.to);
    }
}
