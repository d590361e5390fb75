package dev.kanmon.core.queue;

/** RFC 3461 RET keyword: how much of the original message a DSN returns. */
public enum Ret {
    FULL, HDRS
}
