package dev.kanmon.auth.quota;

/** The SMTP reply the submission service sends when a request is refused. */
public record QuotaReply(int code, String enhanced, String text) {
}
