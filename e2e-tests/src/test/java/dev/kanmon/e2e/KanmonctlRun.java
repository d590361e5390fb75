package dev.kanmon.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real binary ({@code bin/kanmonctl}) run as a process with its own session directory.
 *
 * @param exit   its exit code
 * @param stdout what it printed for the operator or the script
 * @param stderr its errors
 */
record KanmonctlRun(int exit, String stdout, String stderr) {

    static ProcessBuilder builder(Path home, String... args) {
        List<String> command = new ArrayList<>();
        command.add(E2eStack.root().resolve("bin/kanmonctl").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("KANMONCTL_HOME", home.toString());
        return pb;
    }

    static KanmonctlRun run(Path home, String... args) {
        try {
            Path out = Files.createTempFile("kanmonctl", ".out");
            Path err = Files.createTempFile("kanmonctl", ".err");
            Process p = builder(home, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("kanmonctl " + String.join(" ", args) + " did not finish");
            }
            KanmonctlRun run = new KanmonctlRun(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return run;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
}
