package dev.kanmon.core.queue;

/** Versioned Kafka topic names and record header names shared by all services. */
public final class Topics {

    /** Accepted messages: key = queue id, value = raw RFC 5322 bytes, header {@link #ENVELOPE_HEADER}. */
    public static final String SUBMITTED = "relay.submitted.v1";

    /** Per-destination-domain deliveries: key = domain, value = raw bytes, header {@link #DELIVERY_HEADER}. */
    public static final String OUTBOUND = "relay.outbound.v1";

    /** Delivery outcomes: key = queue id, value = {@link DeliveryResult} JSON. */
    public static final String RESULTS = "relay.results.v1";

    /**
     * Identity changes published by the Keycloak extension: key = Keycloak user id ({@code *} for everyone), value =
     * JSON. The extension (no relay-core on Keycloak's class path) repeats the name in its own default.
     */
    public static final String IDENTITY = "relay.identity.v1";

    /** JSON {@link Envelope} on records of {@link #SUBMITTED}. */
    public static final String ENVELOPE_HEADER = "kanmon-envelope";

    /** JSON {@link DeliveryRequest} on records of {@link #OUTBOUND}. */
    public static final String DELIVERY_HEADER = "kanmon-delivery";

    private Topics() {
    }
}
