package dev.kanmon.auth.ban;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a ban holds back. */
public enum BanKind {

    /** One login from one address: the guessed subscriber still logs in from everywhere else. */
    PAIR,

    /** Every login from one address: set only when many distinct logins failed there (a spread, not a typo). */
    ADDRESS;

    /** The name in the API, the database and the metrics' {@code kind} tag. */
    @JsonValue
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
