package dev.kanmon.dnsbl.locallist;

import java.util.Locale;

/** The operator's two local lists: allow (always PASS) and deny (always BLOCK). */
public enum ListKind {
    ALLOW, DENY;

    /** The lower-case name used in URLs and in the database. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for anything but {@code allow} or {@code deny} */
    public static ListKind of(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }
}
