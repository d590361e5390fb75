package dev.kanmon.core.smtp;

import dev.kanmon.core.queue.Notify;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The parameters of RCPT TO as values: NOTIFY and ORCPT (RFC 3461 §4.1, §4.2).
 *
 * @param notifications NOTIFY's set, empty when not given
 * @param orcpt  ORCPT as written ({@code addr-type ";" xtext}), or null
 */
public record RcptParameters(Set<Notify> notifications, String orcpt) {

    public static RcptParameters parse(List<EsmtpParameter> params) throws EsmtpParameterException {
        Set<Notify> notify = Set.of();
        String orcpt = null;
        for (EsmtpParameter p : params) {
            switch (p.keyword()) {
                case "NOTIFY" -> notify = notify(p.value());
                case "ORCPT" -> {
                    if (!validOrcpt(p.value())) {
                        throw EsmtpParameterException.bad("ORCPT");
                    }
                    orcpt = p.value();
                }
                default -> throw EsmtpParameterException.unsupported(p.keyword());
            }
        }
        return new RcptParameters(notify, orcpt);
    }

    /** NEVER alone, or a comma list of SUCCESS, FAILURE, DELAY without repeats. */
    private static Set<Notify> notify(String value) throws EsmtpParameterException {
        if (value == null) {
            throw EsmtpParameterException.bad("NOTIFY");
        }
        EnumSet<Notify> set = EnumSet.noneOf(Notify.class);
        for (String word : value.split(",", -1)) {
            Notify n;
            try {
                n = Notify.valueOf(word.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw EsmtpParameterException.bad("NOTIFY");
            }
            if (!set.add(n)) {
                throw EsmtpParameterException.bad("NOTIFY");
            }
        }
        if (set.contains(Notify.NEVER) && set.size() > 1) {
            throw EsmtpParameterException.bad("NOTIFY");
        }
        return set;
    }

    private static boolean validOrcpt(String value) {
        if (value == null) {
            return false;
        }
        int semi = value.indexOf(';');
        return semi > 0 && semi < value.length() - 1 && Xtext.valid(value.substring(semi + 1));
    }
}
