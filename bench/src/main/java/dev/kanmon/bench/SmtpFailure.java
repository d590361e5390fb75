package dev.kanmon.bench;

/**
 * A step that did not get the reply it needed. {@link #key()} is what the error table counts:
 * the step and the reply code ("RCPT 450"), "io" when the connection failed, or "timeout" when
 * no reply came in time.
 */
final class SmtpFailure extends RuntimeException {
    private final String step;
    private final String code;

    private SmtpFailure(String step, String code, String message, Throwable cause) {
        super(step + " -> " + message, cause, false, false);
        this.step = step;
        this.code = code;
    }

    static SmtpFailure refused(String step, Reply reply) {
        return new SmtpFailure(step, Integer.toString(reply.code()), reply.last(), null);
    }

    static SmtpFailure io(String step, Throwable cause) {
        return new SmtpFailure(step, "io", String.valueOf(cause), cause);
    }

    static SmtpFailure timeout(String step, long millis) {
        return new SmtpFailure(step, "timeout", "no reply within " + millis + " ms", null);
    }

    /** The server answered, with the wrong code; the connection is still usable. */
    boolean refusal() {
        return Character.isDigit(code.charAt(0));
    }

    String key() {
        return step + " " + code;
    }
}
