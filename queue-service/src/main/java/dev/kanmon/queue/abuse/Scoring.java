package dev.kanmon.queue.abuse;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns observations into a score (docs/abuse.md, "Scoring"). Pure: the same observations and weights always give the
 * same score.
 *
 * <p>A takeover is a login from somewhere new <em>and</em> mail sent from there. So the access signals (a new network,
 * several networks, stuffing that worked, a login from an address the DNSBL lists) and the traffic sent from networks new for the user count in full together;
 * without traffic from a new network that scores, the score is the access and all traffic signals capped at
 * {@code observe-only-cap}, below the slow-down by default: a subscriber who logs in from a hotel without sending
 * much, or a heavy sender on its usual network, is observed, never acted on.
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
        add(access, "dnsbl_listed", o.dnsblListed() ? 1 : 0, o.dnsblListed() ? w.dnsblListed() : 0, true);
        int accessPoints = points(access);

        List<Signal> fromNew = traffic(o.fromNewNetworks(), o);
        if (points(fromNew) > 0) {
            List<Signal> all = new ArrayList<>(access);
            all.addAll(fromNew);
            rejections(all, o);
            return new Assessment(points(all), all);
        }
        List<Signal> all = new ArrayList<>(access);
        all.addAll(traffic(o.all(), o));
        rejections(all, o);
        return new Assessment(Math.min(points(all), w.observeOnlyCap()), all);
    }

    private List<Signal> traffic(Traffic t, Observations o) {
        AbuseConfig.Weights w = config.weights();
        List<Signal> out = new ArrayList<>();
        double messagesRatio = t.messages() / Math.max(config.volumeFloor(), o.baselineMessages());
        add(out, "messages_vs_baseline", round(messagesRatio), multiples(messagesRatio) * w.volume(), false);
        if (o.planMessagesPerHour() > 0) {
            // the window is an hour by default: the share of the plan's hourly limit it used
            double share = t.messages() * 3600.0 / config.window().toSeconds() / o.planMessagesPerHour();
            add(out, "messages_vs_plan", round(share),
                    share >= 0.9 ? 2 * w.plan() : share >= 0.5 ? w.plan() : 0, false);
        }
        double recipientsRatio = t.recipients() / Math.max(config.recipientsFloor(), o.baselineRecipients());
        add(out, "recipients_vs_baseline", round(recipientsRatio), multiples(recipientsRatio) * w.recipients(), false);
        add(out, "recipient_domains", t.domains(),
                Math.min(Math.max(0, t.domains() - config.domainsFree()), 15) * w.domain(), false);
        add(out, "from_display_names", t.fromNames(),
                Math.min(Math.max(0, t.fromNames() - config.fromNamesFree()), 10) * w.fromName(), false);
        add(out, "subjects", t.subjects(),
                Math.min(Math.max(0, t.subjects() - config.subjectsFree()) / 10, 5) * w.subjects(), false);
        return out;
    }

    /** The delivery outcomes are the user's, wherever it sent from. */
    private void rejections(List<Signal> to, Observations o) {
        if (o.outcomes() >= config.outcomesMinimum()) {
            double share = (double) (o.rejected() + o.deferredReputation() + o.bounced()) / o.outcomes();
            add(to, "rejected_share", round(share), (int) Math.round(share * config.weights().rejected()), false);
        }
    }

    private static int points(List<Signal> signals) {
        return signals.stream().mapToInt(Signal::points).sum();
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
