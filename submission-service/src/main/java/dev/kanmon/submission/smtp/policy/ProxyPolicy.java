package dev.kanmon.submission.smtp.policy;

import dev.kanmon.core.net.Cidr;
import dev.kanmon.submission.smtp.ListenerKind;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which listeners expect a PROXY protocol header, and from which load balancers it is believed. Vert.x decodes
 * the header (v1 and v2); this decides whether the TCP peer that sent it may speak for a client.
 */
public final class ProxyPolicy {

    private final List<Cidr> trusted;
    private final Set<ListenerKind> proxied;

    public ProxyPolicy(List<String> trustedNetworks, List<ListenerKind> proxiedListeners) {
        this.trusted = Cidr.parseAll(trustedNetworks);
        this.proxied = proxiedListeners.isEmpty() ? EnumSet.noneOf(ListenerKind.class) : EnumSet.copyOf(proxiedListeners);
    }

    /** Whether connections on this listener start with a PROXY header. */
    public boolean proxied(ListenerKind listener) {
        return proxied.contains(listener);
    }

    /** Whether the TCP peer (the load balancer's own address) may announce a client address. */
    public boolean trustedProxy(String peerAddress) {
        return Cidr.anyContains(trusted, peerAddress);
    }
}
