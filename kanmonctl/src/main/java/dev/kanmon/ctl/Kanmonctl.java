package dev.kanmon.ctl;

import dev.kanmon.ctl.api.CliException;
import dev.kanmon.ctl.cli.Cli;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;

/** Entry point of kanmonctl (bin/kanmonctl). */
public final class Kanmonctl {

    private Kanmonctl() {
    }

    public static void main(String[] args) {
        System.exit(run(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line; the exit code (README, "kanmonctl"). */
    public static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cmd = new CommandLine(new Cli(env, Clock.systemUTC()))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler((e, line, parsed) -> {
                    if (e instanceof CliException c) {
                        line.getErr().println("kanmonctl: " + c.getMessage());
                        return c.exit().code();
                    }
                    throw e;
                });
        return cmd.execute(args);
    }
}
