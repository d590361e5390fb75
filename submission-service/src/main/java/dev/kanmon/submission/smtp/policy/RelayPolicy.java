package dev.kanmon.submission.smtp.policy;

import dev.kanmon.core.net.Cidr;
import dev.kanmon.core.smtp.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may relay over port 25 without AUTH: clients in the trusted networks to anywhere, everyone else only
 * to the relay domains and only with plain mailboxes — no source route, no {@code %}, {@code !} or quoted
 * {@code @} in the local part, because a downstream MTA might still route on them (the classic open-relay
 * tricks).
 */
public final class RelayPolicy {

    private final List<Cidr> trusted;
    private final Set<String> domains;

    public RelayPolicy(List<String> trustedNetworks, List<String> relayDomains) {
        this.trusted = Cidr.parseAll(trustedNetworks);
        this.domains = relayDomains.stream().filter(s -> !s.isBlank())
                .map(d -> d.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    public boolean trusted(String clientIp) {
        return Cidr.anyContains(trusted, clientIp);
    }

    /** Whether an unauthenticated client at {@code clientIp} may send to {@code recipient}. */
    public boolean mayRelay(String clientIp, Path recipient) {
        if (trusted(clientIp)) {
            return true;
        }
        return !recipient.hasRelayTricks() && !recipient.mailbox().addressLiteral()
                && domains.contains(recipient.mailbox().normalizedDomain());
    }
}
