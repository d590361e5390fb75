package dev.kanmon.submission.smtp;

/** The three SMTP listeners and the policy each one implies. */
public enum ListenerKind {

    /** 587, RFC 6409: STARTTLS, AUTH required before MAIL. */
    SUBMISSION("submission", 587, true, false),
    /** 465, RFC 8314: TLS from the first byte, AUTH required before MAIL. */
    SUBMISSIONS("submissions", 465, true, true),
    /** 25: no AUTH; relay only for trusted networks or to relay domains. */
    SMTP("smtp", 25, false, false);

    private final String id;
    private final int defaultPort;
    private final boolean submission;
    private final boolean implicitTls;

    ListenerKind(String id, int defaultPort, boolean submission, boolean implicitTls) {
        this.id = id;
        this.defaultPort = defaultPort;
        this.submission = submission;
        this.implicitTls = implicitTls;
    }

    /** Name used in config, metrics, logs and {@code Submission.listener}. */
    public String id() {
        return id;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** Whether AUTH is offered and required before MAIL. */
    public boolean submission() {
        return submission;
    }

    public boolean implicitTls() {
        return implicitTls;
    }
}
