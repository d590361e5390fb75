package dev.kanmon.core.smtp;

/** RFC 3463 enhanced status codes used by Kanmon, named after the IANA registry entries. */
public final class EnhancedCode {

    public static final String OTHER_OK = "2.0.0";
    public static final String DESTINATION_VALID = "2.1.5";
    public static final String SENDER_OK = "2.1.0";
    public static final String CANNOT_VERIFY = "2.5.2";
    public static final String AUTH_SUCCEEDED = "2.7.0";

    public static final String MAILBOX_FULL_TEMP = "4.2.2";
    public static final String SYSTEM_NOT_ACCEPTING = "4.3.2";
    public static final String OTHER_SYSTEM_TEMP = "4.3.0";
    public static final String TIMEOUT = "4.4.2";
    public static final String TOO_MANY_RECIPIENTS = "4.5.3";
    public static final String SECURITY_TEMP = "4.7.0";

    public static final String OTHER_PERMANENT = "5.0.0";
    public static final String BAD_DESTINATION_SYNTAX = "5.1.3";
    public static final String BAD_SENDER_SYNTAX = "5.1.7";
    public static final String MESSAGE_TOO_BIG = "5.3.4";
    public static final String INVALID_COMMAND = "5.5.1";
    public static final String SYNTAX_ERROR = "5.5.2";
    public static final String INVALID_ARGUMENTS = "5.5.4";
    public static final String NON_ASCII_NOT_PERMITTED = "5.6.7";
    public static final String AUTH_REQUIRED = "5.7.0";
    public static final String DELIVERY_NOT_AUTHORIZED = "5.7.1";
    public static final String ENCRYPTION_REQUIRED = "5.7.11";

    private EnhancedCode() {
    }
}
