package dev.kanmon.queue.abuse;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns observations into a score (docs/abuse.md, "Scoring"). Pure: the same observations and weights always give the
 * same score. Access signals (a new network, several networks, stuffing that worked) count in full; traffic signals
 * count in full only beside an access signal, otherwise they are capped at {@code traffic-only-cap}, which is below the
 * slow-down threshold by default: a heavy but legitimate sender is observed, never acted on, by traffic alone.
 */
public final class Scoring {

    private final AbuseConfig config;

    public Scoring(AbuseConfig config) {
        this.config = config;
    }

    public Assessment assess(Observations o) {
        AbuseConfig.Weights w = config.weights();
        List<Signal> access = new ArrayList<>();
        add(access, "new_network", o.newNetworks(), Math.min(o.newNetworks(), 3) * w.newNetwork(), true);
        add(access, "networks", o.networks(), Math.max(0, Math.min(o.networks(), 6) - 2) * w.extraNetwork(), true);
        add(access, "credential_stuffing", o.stuffingFailures(), o.stuffingFailures() > 0 ? w.stuffing() : 0, true);

        List<Signal> traffic = new ArrayList<>();
        double messagesRatio = o.messages() / Math.max(config.volumeFloor(), o.baselineMessages());
        add(traffic, "messages_vs_baseline", round(messagesRatio), multiples(messagesRatio) * w.volume(), false);
        double recipientsRatio = o.recipients() / Math.max(config.recipientsFloor(), o.baselineRecipients());
        add(traffic, "recipients_vs_baseline", round(recipientsRatio), multiples(recipientsRatio) * w.recipients(),
                false);
        add(traffic, "recipient_domains", o.domains(),
                Math.min(Math.max(0, o.domains() - config.domainsFree()), 15) * w.domain(), false);
        if (o.outcomes() >= config.outcomesMinimum()) {
            double share = (double) (o.rejected() + o.deferredReputation() + o.bounced()) / o.outcomes();
            add(traffic, "rejected_share", round(share), (int) Math.round(share * w.rejected()), false);
        }
        add(traffic, "from_display_names", o.fromNames(),
                Math.min(Math.max(0, o.fromNames() - config.fromNamesFree()), 10) * w.fromName(), false);
        add(traffic, "subjects", o.subjects(),
                Math.min(Math.max(0, o.subjects() - config.subjectsFree()) / 10, 5) * w.subjects(), false);

        int accessPoints = access.stream().mapToInt(Signal::points).sum();
        int trafficPoints = traffic.stream().mapToInt(Signal::points).sum();
        if (accessPoints == 0) {
            trafficPoints = Math.min(trafficPoints, w.trafficOnlyCap());
        }
        List<Signal> all = new ArrayList<>(access);
        all.addAll(traffic);
        return new Assessment(accessPoints + trafficPoints, all);
    }

    /** Whole multiples above 1 (1x = at the baseline: nothing), at most 3. */
    private static int multiples(double ratio) {
        return (int) Math.min(3, Math.max(0, Math.floor(ratio) - 1));
    }

    private static void add(List<Signal> to, String name, double value, int points, boolean access) {
        if (points > 0) {
            to.add(new Signal(name, value, points, access));
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
