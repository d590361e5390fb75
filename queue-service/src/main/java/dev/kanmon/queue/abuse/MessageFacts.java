package dev.kanmon.queue.abuse;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the abuse signals take from one submitted message: its user, client address, recipients and their domains, and
 * the header From display name and Subject (read from the header section only, unfolded; values kept as given,
 * compared as hashes).
 */
public record MessageFacts(String user, String clientIp, int recipients, Set<String> domains, String fromName,
        String subject) {

    /** Most header bytes read; From and Subject of a real message are near the top. */
    private static final int HEADER_LIMIT = 64 * 1024;

    public static MessageFacts of(String user, String clientIp, java.util.List<String> recipientDomains,
            byte[] message) {
        String fromName = null;
        String subject = null;
        String header = headerSection(message);
        for (String field : header.split("\r?\n(?![ \t])")) {
            int colon = field.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = field.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = field.substring(colon + 1).replaceAll("\r?\n[ \t]+", " ").trim();
            if (name.equals("from") && fromName == null) {
                int lt = value.indexOf('<');
                fromName = lt > 0 ? value.substring(0, lt).trim().replaceAll("^\"|\"$", "") : null;
            } else if (name.equals("subject") && subject == null) {
                subject = value;
            }
        }
        return new MessageFacts(user, clientIp, recipientDomains.size(),
                recipientDomains.stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toSet()),
                blankToNull(fromName), blankToNull(subject));
    }

    private static String headerSection(byte[] message) {
        int n = Math.min(message.length, HEADER_LIMIT);
        for (int i = 0; i + 1 < n; i++) {
            if (message[i] == '\n' && (message[i + 1] == '\n'
                    || (message[i + 1] == '\r' && i + 2 < n && message[i + 2] == '\n'))) {
                n = i;
                break;
            }
        }
        return new String(message, 0, n, StandardCharsets.ISO_8859_1);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
