package dev.kanmon.bench;

/**
 * A step that did not get the reply it needed. {@link #key()} is what the error table counts:
 * the step and the reply code ("RCPT 450"), or the step and "io" when the connection failed.
 */
final class SmtpFailure extends RuntimeException {
    private final String step;
    private final String code;

    SmtpFailure(String step, Reply reply) {
        super(step + " -> " + reply.last(), null, false, false);
        this.step = step;
        this.code = Integer.toString(reply.code());
    }

    SmtpFailure(String step, Throwable cause) {
        super(step + " -> " + cause, cause, false, false);
        this.step = step;
        this.code = "io";
    }

    String key() {
        return step + " " + code;
    }

    static SmtpFailure of(String step, Throwable t) {
        return t instanceof SmtpFailure f ? f : new SmtpFailure(step, t);
    }
}
