package dev.kanmon.core.queue;

/** RFC 3461 NOTIFY keywords. An empty set means the RCPT carried no NOTIFY parameter (default: FAILURE, DELAY). */
public enum Notify {
    NEVER, SUCCESS, FAILURE, DELAY
}
