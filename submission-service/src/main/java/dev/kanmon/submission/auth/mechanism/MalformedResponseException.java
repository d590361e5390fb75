package dev.kanmon.submission.auth.mechanism;

/** A client response that does not follow the mechanism's syntax: answered {@code 501 5.5.2}. */
final class MalformedResponseException extends Exception {

    MalformedResponseException(String message) {
        super(message, null, false, false);
    }
}
