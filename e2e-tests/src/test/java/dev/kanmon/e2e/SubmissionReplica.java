package dev.kanmon.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * One more submission-service JVM, run from the stack's copy of the jar on its own ports: same Kafka, auth-service,
 * quota ledger and DNSBL service as the stack's replica. Ports: submission {@code base}, submissions
 * {@code base - 122} (x465), MTA {@code base - 62} (x525), HTTP {@code http}.
 */
final class SubmissionReplica implements AutoCloseable {

    final int submissionPort;
    final Path log;
    private final Process process;

    private SubmissionReplica(int submissionPort, Path log, Process process) {
        this.submissionPort = submissionPort;
        this.log = log;
        this.process = process;
    }

    /** Starts it and waits until the submission port accepts connections. */
    static SubmissionReplica start(String name, int submissionPort, int httpPort, String... properties)
            throws Exception {
        Path jar = E2eStack.state().resolve("apps/submission/quarkus-run.jar");
        assertThat(jar).as("the stack's submission-service copy").exists();
        Path log = E2eStack.workDir().resolve("submission-" + name + ".log");
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx256m", "-Dquarkus.profile=local",
                "-Dquarkus.http.port=" + httpPort,
                "-Dkanmon.submission.submission.port=" + submissionPort,
                "-Dkanmon.submission.submissions.port=" + (submissionPort - 122),
                "-Dkanmon.submission.smtp.port=" + (submissionPort - 62)));
        for (String p : properties) {
            cmd.add("-D" + p);
        }
        cmd.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(E2eStack.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("KANMON_STACK", E2eStack.state().toString());
        Process process = pb.start();
        SubmissionReplica replica = new SubmissionReplica(submissionPort, log, process);
        Awaitility.await(name + " submission replica on " + submissionPort)
                .atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " replica exited:\n" + Files.readString(log));
                    }
                    try (Socket s = new Socket(E2eStack.HOST, submissionPort)) {
                        return true;
                    } catch (IOException e) {
                        return false;
                    }
                });
        return replica;
    }

    /** SIGTERM, as Kubernetes sends it to a pod being stopped. */
    void terminate() {
        process.destroy();
    }

    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
