package dev.kanmon.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * One more delivery-service JVM, run from the stack's copy of the jar ({@code .local-stack/apps/delivery}) with
 * profile {@code local} on its own HTTP port: it joins the stack's consumer group {@code delivery-service} on
 * {@code relay.outbound.v1} and produces to the same {@code relay.results.v1}, like a second pod.
 * Its Kafka client id is {@link #clientId}, so its member in the group can be told apart from the stack's.
 */
final class DeliveryReplica implements AutoCloseable {

    final String clientId;
    final int httpPort;
    final Path log;
    private final Process process;

    private DeliveryReplica(String clientId, int httpPort, Path log, Process process) {
        this.clientId = clientId;
        this.httpPort = httpPort;
        this.log = log;
        this.process = process;
    }

    /** Starts it and waits until {@code /q/health/ready} is UP (its consumer has joined the group). */
    static DeliveryReplica start(String name, int httpPort, String... properties) throws Exception {
        Path jar = E2eStack.state().resolve("apps/delivery/quarkus-run.jar");
        assertThat(jar).as("the stack's delivery-service copy").exists();
        Path log = E2eStack.workDir().resolve("delivery-" + name + ".log");
        String clientId = "kanmon-delivery-" + name;
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx256m", "-Dquarkus.profile=local",
                "-Dquarkus.http.port=" + httpPort,
                "-Dmp.messaging.incoming.outbound.client.id=" + clientId));
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
        DeliveryReplica replica = new DeliveryReplica(clientId, httpPort, log, process);
        Awaitility.await(name + " delivery replica ready on " + httpPort)
                .atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " replica exited:\n" + Files.readString(log));
                    }
                    return StackControl.httpOk("http://127.0.0.1:" + httpPort + "/q/health/ready");
                });
        return replica;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** {@code kill -9}: no shutdown hook runs, no offset is committed, no result in flight is produced. */
    void kill9() throws Exception {
        Proc.Result r = Proc.run(List.of("kill", "-9", String.valueOf(process.pid())), null, 10);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("replica died").isTrue();
    }

    /** Delivered recipients counted by this JVM ({@code kanmon_delivery_recipients_total{status="delivered"}}). */
    double deliveredRecipients() {
        return StackControl.metricSum("http://127.0.0.1:" + httpPort + "/q/metrics",
                "kanmon_delivery_recipients_total", "status=\"delivered\"");
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
