package dev.kanmon.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * One more JVM of a stack service, run from the stack's copy of its jar ({@code .local-stack/apps/<service>})
 * with profile {@code local} and {@code KANMON_STACK} set, like another pod of the same deployment. The
 * replicas ({@link SubmissionReplica}, {@link DeliveryReplica}) add their own ports and checks on top.
 */
final class ServiceJvm implements AutoCloseable {

    final Path log;
    private final Process process;

    private ServiceJvm(Path log, Process process) {
        this.log = log;
        this.process = process;
    }

    /**
     * Starts {@code service} with the given system properties ({@code key=value}) and waits until {@code ready}
     * holds; fails with the JVM's log if it exits first.
     */
    static ServiceJvm start(String service, String name, List<String> properties, Callable<Boolean> ready)
            throws Exception {
        Path jar = E2eStack.state().resolve("apps/" + service + "/quarkus-run.jar");
        assertThat(jar).as("the stack's " + service + "-service copy").exists();
        Path log = E2eStack.workDir().resolve(service + "-" + name + ".log");
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx256m", "-Dquarkus.profile=local"));
        properties.forEach(p -> cmd.add("-D" + p));
        cmd.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(E2eStack.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("KANMON_STACK", E2eStack.state().toString());
        Process process = pb.start();
        Awaitility.await(name + " " + service + "-service ready")
                .atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " " + service + "-service exited:\n"
                                + Files.readString(log));
                    }
                    return ready.call();
                });
        return new ServiceJvm(log, process);
    }

    Process process() {
        return process;
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
