package dev.kanmon.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external client (swaks, curl, python3) and captures its exit code and transcript. */
public final class Proc {

    public record Result(List<String> command, int exitCode, String output) {
        @Override
        public String toString() {
            return "$ " + String.join(" ", command) + "\n(exit " + exitCode + ")\n" + output;
        }
    }

    private Proc() {
    }

    /** Runs the command with stderr merged into stdout; {@code stdin} may be null. */
    public static Result run(List<String> command, byte[] stdin, int timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C.UTF-8");
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        }
        byte[][] out = new byte[1][];
        Thread reader = new Thread(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = ("<<read failed: " + e + ">>").getBytes(StandardCharsets.UTF_8);
            }
        });
        reader.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            reader.join(5000);
            throw new IllegalStateException("timed out after " + timeoutSeconds + "s: " + String.join(" ", command)
                    + "\n" + (out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8)));
        }
        reader.join(10000);
        String text = out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8);
        return new Result(List.copyOf(command), p.exitValue(), text);
    }
}
