package dev.kanmon.ctl.api;

/** kanmonctl's exit codes, stable for scripts (README, docs/operations.md). 2 is picocli's usage error. */
public enum Exit {
    OK(0),
    /** A server error or an answer kanmonctl does not understand. */
    FAILED(1),
    /** Bad command line or input refused by the API (400). */
    USAGE(2),
    /** Not logged in, session expired, or login refused (401). */
    NOT_LOGGED_IN(3),
    /** Logged in, but the role needed is missing (403). */
    FORBIDDEN(4),
    /** No such subscriber, message, ban or entry (404). */
    NOT_FOUND(5),
    /** The change conflicts with the current state, e.g. already listed (409). */
    CONFLICT(6),
    /** A service or Keycloak cannot be reached. */
    UNREACHABLE(7);

    private final int code;

    Exit(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The exit code of an HTTP error status. */
    public static Exit ofStatus(int status) {
        return switch (status) {
            case 400, 422 -> USAGE;
            case 401 -> NOT_LOGGED_IN;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 409 -> CONFLICT;
            default -> FAILED;
        };
    }
}
