package dev.kanmon.core.smtp;

import java.util.List;

/**
 * An RFC 5321 Reverse-path or Forward-path.
 *
 * @param mailbox the mailbox, or null for the null reverse-path {@code <>}
 * @param route   the obsolete source route ({@code @a,@b:}) domains, empty when absent. RFC 5321 §3.3 lets
 *                servers ignore it; a relay must never honour it for unauthenticated clients.
 */
public record Path(Mailbox mailbox, List<String> route) {

    public static final Path NULL = new Path(null, List.of());

    public Path {
        route = List.copyOf(route);
    }

    public boolean isNull() {
        return mailbox == null;
    }

    /** Whether the path carries any routing beyond its final mailbox: a source route or a routed local part. */
    public boolean hasRelayTricks() {
        return !route.isEmpty() || (mailbox != null && mailbox.hasRoutingInLocalPart());
    }

    /** The mailbox address without brackets, empty for the null path. */
    public String address() {
        return mailbox == null ? "" : mailbox.address();
    }

    @Override
    public String toString() {
        return "<" + address() + ">";
    }
}
