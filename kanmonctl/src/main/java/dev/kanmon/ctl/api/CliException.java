package dev.kanmon.ctl.api;

/** A failure the operator can act on: its message goes to stderr, its exit code to the shell (see {@link Exit}). */
public final class CliException extends RuntimeException {

    private final Exit exit;

    public CliException(Exit exit, String message) {
        super(message);
        this.exit = exit;
    }

    public Exit exit() {
        return exit;
    }
}
