package dev.kanmon.delivery.dkim;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header section facts DKIM signing needs: which field names occur and the domain of the From address.
 *
 * @param names      lower-case names of the header fields present
 * @param fromDomain domain of the (first) From address, lower case
 */
record MessageHeaders(Set<String> names, Optional<String> fromDomain) {

    private static final Pattern ADDRESS_DOMAIN = Pattern.compile("@([A-Za-z0-9.-]+)\\s*>?\\s*(?:,|$)");

    static MessageHeaders parse(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            end = text.indexOf("\n\n");
        }
        String head = end < 0 ? text : text.substring(0, end);
        // unfold continuation lines (RFC 5322 §2.2.3) before looking at the fields
        String[] fields = head.replaceAll("\r?\n[ \t]", " ").split("\r?\n");
        Set<String> names = new HashSet<>();
        String from = null;
        for (String field : fields) {
            int colon = field.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = field.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            names.add(name);
            if (name.equals("from") && from == null) {
                from = field.substring(colon + 1).trim();
            }
        }
        Optional<String> domain = Optional.empty();
        if (from != null) {
            Matcher m = ADDRESS_DOMAIN.matcher(from);
            if (m.find()) {
                domain = Optional.of(m.group(1).toLowerCase(Locale.ROOT));
            }
        }
        return new MessageHeaders(Set.copyOf(names), domain);
    }
}
