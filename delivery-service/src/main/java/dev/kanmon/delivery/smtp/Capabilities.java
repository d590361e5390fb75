package dev.kanmon.delivery.smtp;

import dev.kanmon.core.smtp.SmtpReply;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * ESMTP extensions announced in an EHLO reply (RFC 5321 §4.1.1.1).
 *
 * @param esmtp        false after a HELO fallback: no extension may be used
 * @param maxSize      RFC 1870 SIZE limit, 0 when none was announced or the limit is unspecified
 * @param sizeAnnounced whether SIZE was announced (then SIZE= is sent on MAIL)
 */
public record Capabilities(boolean esmtp, boolean pipelining, boolean sizeAnnounced, long maxSize,
        boolean eightBitMime, boolean smtpUtf8, boolean dsn, boolean startTls, Set<String> authMechanisms) {

    public static final Capabilities HELO = new Capabilities(false, false, false, 0, false, false, false, false, Set.of());

    public static Capabilities fromEhlo(SmtpReply ehlo) {
        boolean pipelining = false;
        boolean size = false;
        long maxSize = 0;
        boolean eightBit = false;
        boolean utf8 = false;
        boolean dsn = false;
        boolean tls = false;
        Set<String> auth = new HashSet<>();
        // the first line is the server's greeting name, the rest are keyword [params]
        for (String line : ehlo.lines().subList(1, ehlo.lines().size())) {
            String[] words = line.trim().toUpperCase(Locale.ROOT).split("[ =]+");
            if (words.length == 0) {
                continue;
            }
            switch (words[0]) {
                case "PIPELINING" -> pipelining = true;
                case "SIZE" -> {
                    size = true;
                    if (words.length > 1) {
                        try {
                            maxSize = Long.parseLong(words[1]);
                        } catch (NumberFormatException ignored) {
                            maxSize = 0; // unparsable limit: treat as unspecified, the server still checks
                        }
                    }
                }
                case "8BITMIME" -> eightBit = true;
                case "SMTPUTF8" -> utf8 = true;
                case "DSN" -> dsn = true;
                case "STARTTLS" -> tls = true;
                case "AUTH" -> {
                    for (int i = 1; i < words.length; i++) {
                        auth.add(words[i]);
                    }
                }
                default -> {
                }
            }
        }
        return new Capabilities(true, pipelining, size, maxSize, eightBit, utf8, dsn, tls, Set.copyOf(auth));
    }
}
