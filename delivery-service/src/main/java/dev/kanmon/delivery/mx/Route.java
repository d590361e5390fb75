package dev.kanmon.delivery.mx;

import java.util.List;

/** Where a delivery may go, or why it cannot go anywhere. */
public sealed interface Route {

    /** Mail exchangers in the order to try. */
    record Hosts(List<MxHost> hosts, boolean implicit) implements Route {
        public Hosts {
            hosts = List.copyOf(hosts);
        }
    }

    /**
     * No delivery possible in this attempt.
     *
     * @param permanent true: bounce (FAILED); false: retry later (DEFERRED)
     * @param enhanced  RFC 3463 status
     * @param reason    text for the diagnostic
     */
    record Unroutable(boolean permanent, String enhanced, String reason) implements Route {
    }
}
