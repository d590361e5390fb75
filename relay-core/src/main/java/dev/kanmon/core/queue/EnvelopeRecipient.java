package dev.kanmon.core.queue;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Set;

/**
 * One RCPT TO of an accepted message.
 *
 * @param address forward-path mailbox as given, without angle brackets
 * @param notifications RFC 3461 NOTIFY keywords (JSON {@code notify}); empty when the client gave none
 * @param orcpt   RFC 3461 ORCPT value ({@code addr-type;xtext}), or null
 */
public record EnvelopeRecipient(
        String address, @JsonProperty("notify") Set<Notify> notifications, String orcpt) {

    public EnvelopeRecipient {
        notifications = notifications == null ? Set.of() : Set.copyOf(notifications);
    }

    public static EnvelopeRecipient of(String address) {
        return new EnvelopeRecipient(address, Set.of(), null);
    }

    /** The part after the last '@', lower-cased: the routing key for delivery. */
    public String domain() {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
    }
}
