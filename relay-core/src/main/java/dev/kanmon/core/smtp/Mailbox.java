package dev.kanmon.core.smtp;

import java.util.Locale;

/**
 * An RFC 5321 Mailbox: {@code Local-part "@" ( Domain / address-literal )}.
 *
 * @param localPart the local part with quoting removed (the value {@code "a b"@x} names is {@code a b})
 * @param domain    the domain as written, or an address literal including its brackets
 * @param quoted    whether the local part was written as a Quoted-string
 */
public record Mailbox(String localPart, String domain, boolean quoted) {

    /** Characters that old MTAs interpret as routing inside a local part (percent hack, UUCP bang path). */
    private static final String ROUTING_CHARS = "%!@";

    /** The address in its canonical written form, quoting the local part again when it needs it. */
    public String address() {
        return (quoted ? quote(localPart) : localPart) + "@" + domain;
    }

    /** The domain lower-cased (ASCII rules, as RFC 5321 domains compare case-insensitively). */
    public String normalizedDomain() {
        return domain.toLowerCase(Locale.ROOT);
    }

    /**
     * Whether the local part carries routing that a downstream MTA might act on ({@code user%other},
     * {@code other!user}, {@code "user@other"}): such addresses are how open relays were abused.
     */
    public boolean hasRoutingInLocalPart() {
        for (int i = 0; i < localPart.length(); i++) {
            if (ROUTING_CHARS.indexOf(localPart.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether the domain is an address literal such as {@code [192.0.2.1]}. */
    public boolean addressLiteral() {
        return domain.startsWith("[");
    }

    private static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    @Override
    public String toString() {
        return address();
    }
}
