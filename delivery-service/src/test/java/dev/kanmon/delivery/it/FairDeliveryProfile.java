package dev.kanmon.delivery.it;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Two concurrency slots, and {@code fair.test} (a transport-map entry to the real smtp-sink on 127.0.0.10:2526)
 * limited to 2 messages per 2 s (a burst of two, then one a second) with a backlog of 8 records.
 */
public final class FairDeliveryProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("kanmon.delivery.concurrency", "2"),
                Map.entry("kanmon.delivery.backlog.per-destination", "8"),
                Map.entry("kanmon.delivery.transport.\"fair.test\".host", "127.0.0.10"),
                Map.entry("kanmon.delivery.transport.\"fair.test\".port", "2526"),
                Map.entry("kanmon.delivery.transport.\"fair.test\".security", "none"),
                Map.entry("kanmon.delivery.limits.domains.\"fair.test\".rate-messages", "2"),
                Map.entry("kanmon.delivery.limits.domains.\"fair.test\".rate-period", "2s"));
    }
}
