package dev.kanmon.e2e;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One more submission-service JVM ({@link ServiceJvm}) on its own ports: same Kafka, auth-service, quota ledger
 * and DNSBL service as the stack's replica. Ports: submission {@code base}, submissions {@code base - 122}
 * (x465), MTA {@code base - 62} (x525), HTTP {@code http}, management interface (health, metrics)
 * {@code http + 100}.
 */
final class SubmissionReplica implements AutoCloseable {

    final int submissionPort;
    private final ServiceJvm jvm;

    private SubmissionReplica(int submissionPort, ServiceJvm jvm) {
        this.submissionPort = submissionPort;
        this.jvm = jvm;
    }

    /** Starts it and waits until the submission port accepts connections. */
    static SubmissionReplica start(String name, int submissionPort, int httpPort, String... properties)
            throws Exception {
        List<String> props = new ArrayList<>(List.of(
                "quarkus.http.port=" + httpPort,
                "quarkus.management.port=" + (httpPort + 100),
                "kanmon.submission.submission.port=" + submissionPort,
                "kanmon.submission.submissions.port=" + (submissionPort - 122),
                "kanmon.submission.smtp.port=" + (submissionPort - 62)));
        props.addAll(List.of(properties));
        return new SubmissionReplica(submissionPort, ServiceJvm.start("submission", name, props,
                () -> E2eStack.listening(E2eStack.HOST, submissionPort)));
    }

    /** SIGTERM, as Kubernetes sends it to a pod being stopped. */
    void terminate() {
        jvm.process().destroy();
    }

    boolean awaitExit(Duration timeout) throws InterruptedException {
        return jvm.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    String logText() throws IOException {
        return jvm.logText();
    }

    @Override
    public void close() throws Exception {
        jvm.close();
    }
}
