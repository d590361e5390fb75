package dev.kanmon.core.abuse;

/** Kafka topics of the abuse automation (docs/abuse.md); versioned like the queue's. */
public final class AbuseTopics {

    /** Credential checks: key = user name, value = {@link LoginObservation} JSON; produced by the auth-service. */
    public static final String LOGINS = "relay.logins.v1";

    /**
     * Abuse decisions: key = user name, value = {@link AbuseEvent} JSON; produced by the queue-service, applied by the
     * auth-service (slow-down, suspension) and read by the abuse desk.
     */
    public static final String EVENTS = "relay.abuse.v1";

    private AbuseTopics() {
    }
}
