package dev.kanmon.queue.abuse;

/**
 * What the relay saw of one subscriber within the window, as the scoring reads it.
 *
 * @param newNetworks        logins from networks not seen for the user within the network memory
 * @param networks           distinct networks the user logged in from
 * @param stuffingFailures   failed logins before a recent successful one (0: none), see {@code stuffing-failures}
 * @param all                everything the user sent
 * @param fromNewNetworks    what the user sent from networks new for it within the window
 * @param baselineMessages   exponentially weighted messages per hour of the user's past
 * @param baselineRecipients exponentially weighted recipients per hour of the user's past
 * @param delivered          recipients delivered
 * @param rejected           recipients rejected by a remote MX (5xx)
 * @param deferredReputation recipients deferred for reputation or policy reasons (4.7.x, "blocked", "spam", ...)
 * @param bounced            recipients failed for other reasons (no such domain, expiry)
 * @param planMessagesPerHour the hourly message limit of the user's plan, 0 when not known
 * @param dnsblListed        whether the user logged in within the window from a client address the DNSBL listed at AUTH
 */
public record Observations(int newNetworks, int networks, int stuffingFailures, Traffic all, Traffic fromNewNetworks,
        double baselineMessages, double baselineRecipients, long delivered, long rejected, long deferredReputation,
        long bounced, int planMessagesPerHour, boolean dnsblListed) {

    /** Observations without a DNSBL listing at AUTH. */
    public Observations(int newNetworks, int networks, int stuffingFailures, Traffic all, Traffic fromNewNetworks,
            double baselineMessages, double baselineRecipients, long delivered, long rejected, long deferredReputation,
            long bounced, int planMessagesPerHour) {
        this(newNetworks, networks, stuffingFailures, all, fromNewNetworks, baselineMessages, baselineRecipients,
                delivered, rejected, deferredReputation, bounced, planMessagesPerHour, false);
    }

    /** All delivery outcomes counted. */
    public long outcomes() {
        return delivered + rejected + deferredReputation + bounced;
    }
}
