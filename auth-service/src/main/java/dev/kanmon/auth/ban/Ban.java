package dev.kanmon.auth.ban;

import java.time.OffsetDateTime;

/**
 * A temporary ban.
 *
 * @param kind      {@code ip} or {@code user}
 * @param value     the client IP or the (lower-cased) user name
 * @param until     when it ends
 * @param failures  failures counted in the window that triggered it
 * @param createdAt when it was first set
 */
public record Ban(String kind, String value, OffsetDateTime until, int failures, OffsetDateTime createdAt) {

    static String key(String kind, String value) {
        return kind + ":" + value;
    }
}
