package dev.kanmon.core.smtp;

import dev.kanmon.core.queue.BodyType;
import dev.kanmon.core.queue.Ret;
import java.util.List;
import java.util.Locale;

/**
 * The parameters of MAIL FROM as values: SIZE (RFC 1870), BODY (RFC 6152, RFC 3030), SMTPUTF8 (RFC 6531), RET and
 * ENVID (RFC 3461), AUTH (RFC 4954 §5, checked and dropped: a relay that does not trust the client ignores it).
 *
 * @param size     the declared size, or -1
 * @param body     7BIT unless declared; BINARYMIME is parsed, whether it is supported is the server's call
 * @param smtpUtf8 whether SMTPUTF8 was given
 * @param ret      RET, or null
 * @param envid    ENVID, xtext-decoded, or null
 */
public record MailParameters(long size, BodyType body, boolean smtpUtf8, Ret ret, String envid) {

    /** RFC 3461 §4.4: at most 100 characters (as written). */
    static final int MAX_ENVID = 100;

    public static MailParameters parse(List<EsmtpParameter> params) throws EsmtpParameterException {
        long size = -1;
        BodyType body = BodyType.SEVEN_BIT;
        boolean smtpUtf8 = false;
        Ret ret = null;
        String envid = null;
        for (EsmtpParameter p : params) {
            String v = p.value();
            switch (p.keyword()) {
                case "SIZE" -> size = size(v);
                case "BODY" -> body = body(v);
                case "SMTPUTF8" -> {
                    if (v != null) {
                        throw new EsmtpParameterException(SmtpReply.of(501, EnhancedCode.INVALID_ARGUMENTS,
                                "SMTPUTF8 takes no value"));
                    }
                    smtpUtf8 = true;
                }
                case "RET" -> {
                    String r = v == null ? "" : v.toUpperCase(Locale.ROOT);
                    if (!r.equals("FULL") && !r.equals("HDRS")) {
                        throw EsmtpParameterException.bad("RET");
                    }
                    ret = Ret.valueOf(r);
                }
                case "ENVID" -> envid = envid(v);
                case "AUTH" -> {
                    if (v == null || (!v.equals("<>") && !Xtext.valid(v))) {
                        throw EsmtpParameterException.bad("AUTH");
                    }
                }
                default -> throw EsmtpParameterException.unsupported(p.keyword());
            }
        }
        return new MailParameters(size, body, smtpUtf8, ret, envid);
    }

    private static long size(String v) throws EsmtpParameterException {
        if (v == null || v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw EsmtpParameterException.bad("SIZE");
        }
        return Long.parseLong(v);
    }

    private static BodyType body(String v) throws EsmtpParameterException {
        return switch (v == null ? "" : v.toUpperCase(Locale.ROOT)) {
            case "7BIT" -> BodyType.SEVEN_BIT;
            case "8BITMIME" -> BodyType.EIGHT_BIT_MIME;
            case "BINARYMIME" -> BodyType.BINARY_MIME;
            default -> throw EsmtpParameterException.bad("BODY");
        };
    }

    private static String envid(String v) throws EsmtpParameterException {
        if (v == null || v.length() > MAX_ENVID) {
            throw EsmtpParameterException.bad("ENVID");
        }
        try {
            return Xtext.decode(v);
        } catch (SmtpSyntaxException e) {
            throw EsmtpParameterException.bad("ENVID");
        }
    }
}
