package dev.kanmon.submission.smtp;

import dev.kanmon.core.smtp.EnhancedCode;
import dev.kanmon.core.smtp.SmtpReply;

/** Fixed replies shared by several handlers; built once. */
public final class Replies {

    public static final SmtpReply OK = SmtpReply.of(250, EnhancedCode.OTHER_OK, "Ok");
    public static final SmtpReply BAD_SEQUENCE_HELO = SmtpReply.of(503, EnhancedCode.INVALID_COMMAND,
            "Error: send HELO/EHLO first");
    public static final SmtpReply BAD_SEQUENCE_MAIL = SmtpReply.of(503, EnhancedCode.INVALID_COMMAND,
            "Error: need MAIL command");
    public static final SmtpReply BAD_SEQUENCE_RCPT = SmtpReply.of(503, EnhancedCode.INVALID_COMMAND,
            "Error: need RCPT command");
    public static final SmtpReply UNKNOWN_COMMAND = SmtpReply.of(500, EnhancedCode.SYNTAX_ERROR,
            "Error: command not recognized");
    public static final SmtpReply LINE_TOO_LONG = SmtpReply.of(500, EnhancedCode.SYNTAX_ERROR, "Line too long");
    public static final SmtpReply INVALID_UTF8 = SmtpReply.of(500, EnhancedCode.SYNTAX_ERROR,
            "Error: invalid UTF-8 in command");
    public static final SmtpReply AUTH_REQUIRED = SmtpReply.of(530, EnhancedCode.AUTH_REQUIRED,
            "Authentication required");
    /** Postfix's wording for a command that needs TLS first (RFC 3207 §4). */
    public static final SmtpReply STARTTLS_REQUIRED = SmtpReply.of(530, EnhancedCode.AUTH_REQUIRED,
            "Must issue a STARTTLS command first");
    public static final SmtpReply MESSAGE_TOO_BIG = SmtpReply.of(552, EnhancedCode.MESSAGE_TOO_BIG,
            "Message size exceeds fixed maximum message size");
    public static final SmtpReply BARE_LINE_ENDING = SmtpReply.of(550, EnhancedCode.SYNTAX_ERROR,
            "Message contains bare CR or LF");
    public static final SmtpReply QUEUE_UNAVAILABLE = SmtpReply.of(451, EnhancedCode.OTHER_SYSTEM_TEMP,
            "Queue temporarily unavailable");
    public static final SmtpReply AUTH_TEMPFAIL = SmtpReply.of(454, EnhancedCode.SECURITY_TEMP,
            "Temporary authentication failure");

    private Replies() {
    }

    public static SmtpReply syntax(String enhanced, String text) {
        return SmtpReply.of(501, enhanced, text);
    }
}
