package dev.kanmon.core.smtp;

/**
 * One RFC 5321 §4.1.2 {@code esmtp-param}.
 *
 * @param keyword the keyword, upper-cased (keywords are case-insensitive)
 * @param value   the value as written, or null for a bare keyword such as {@code SMTPUTF8}
 */
public record EsmtpParameter(String keyword, String value) {
}
