package dev.kanmon.queue.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scoring with the production defaults of {@link AbuseConfig} (docs/abuse.md, "Scoring"). */
class ScoringTest {

    private static final AbuseConfig DEFAULTS = config(Map.of());

    private static AbuseConfig config(Map<String, String> properties) {
        // Quarkus' converter reads the "1h" shorthand of the defaults
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(AbuseConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()).withDefaultValues(properties).build();
        return config.getConfigMapping(AbuseConfig.class);
    }

    /** Access, all traffic, traffic from new networks; baselines of 4 per hour; no outcomes. */
    private static Observations obs(int newNetworks, int networks, int stuffing, Traffic all, Traffic fromNew) {
        return new Observations(newNetworks, networks, stuffing, all, fromNew, 4, 4, 0, 0, 0, 0, 0);
    }

    private static final Traffic USUAL = new Traffic(5, 5, 1, 1, 3);

    @Test
    void normalHistoryScoresNothing() {
        Assessment a = new Scoring(DEFAULTS).assess(obs(0, 1, 0, USUAL, Traffic.NONE));
        assertThat(a.score()).isZero();
        assertThat(a.signals()).isEmpty();
        assertThat(Level.of(a.score(), DEFAULTS.thresholds())).isEqualTo(Level.OBSERVE);
    }

    @Test
    void aNewNetworkWithoutMailFromThereIsOnlyObserved() {
        Assessment a = new Scoring(DEFAULTS).assess(obs(1, 2, 0, USUAL, Traffic.NONE));
        assertThat(a.score()).isEqualTo(30);
        assertThat(a.values()).containsEntry("new_network", 1.0);
        // logins from two new networks (a hotel, a phone) and the usual spread of the day: still observed
        Assessment travel = new Scoring(DEFAULTS).assess(obs(2, 3, 0, new Traffic(40, 60, 9, 2, 30), Traffic.NONE));
        assertThat(travel.score()).isEqualTo(DEFAULTS.weights().observeOnlyCap());
        assertThat(Level.of(travel.score(), DEFAULTS.thresholds())).isEqualTo(Level.OBSERVE);
    }

    @Test
    void aLoginFromADnsblListedAddressAddsItsWeightButAloneIsOnlyObserved() {
        Scoring scoring = new Scoring(DEFAULTS);
        Assessment listed = scoring.assess(new Observations(0, 1, 0, USUAL, Traffic.NONE, 4, 4, 0, 0, 0, 0, 0, true));
        assertThat(listed.score()).isEqualTo(DEFAULTS.weights().dnsblListed()).isEqualTo(20);
        assertThat(listed.describe()).isEqualTo("score 20: dnsbl_listed=1 (+20)");
        assertThat(listed.signals()).singleElement().satisfies(s -> assertThat(s.access()).isTrue());
        assertThat(Level.of(listed.score(), DEFAULTS.thresholds())).isEqualTo(Level.OBSERVE);
        // with a new network but no mail from there: at the observe-only cap, below the slow-down
        Assessment withNetwork = scoring.assess(
                new Observations(1, 2, 0, USUAL, Traffic.NONE, 4, 4, 0, 0, 0, 0, 0, true));
        assertThat(withNetwork.score()).isEqualTo(DEFAULTS.weights().observeOnlyCap());
        assertThat(Level.of(withNetwork.score(), DEFAULTS.thresholds())).isEqualTo(Level.OBSERVE);
        // and mail spread from that network: counts in full, one step further than without the listing
        Observations spread = spread(6);
        Assessment taken = scoring.assess(new Observations(spread.newNetworks(), spread.networks(), 0, spread.all(),
                spread.fromNewNetworks(), 4, 4, 0, 0, 0, 0, 0, true));
        assertThat(taken.score()).isEqualTo(scoring.assess(spread).score() + 20);
        assertThat(Level.of(taken.score(), DEFAULTS.thresholds())).isEqualTo(Level.SLOW_DOWN);
        assertThat(new Scoring(config(Map.of("kanmon.queue.abuse.weights.dnsbl-listed", "0"))).assess(
                new Observations(0, 1, 0, USUAL, Traffic.NONE, 4, 4, 0, 0, 0, 0, 0, true)).score()).isZero();
    }

    @Test
    void mailSpreadFromANewNetworkClimbsTheLadder() {
        Scoring scoring = new Scoring(DEFAULTS);
        AbuseConfig.Thresholds t = DEFAULTS.thresholds();
        // 30 for the network, 4 per domain beyond 4 sent from it
        assertThat(Level.of(scoring.assess(spread(6)).score(), t)).isEqualTo(Level.OBSERVE);
        assertThat(Level.of(scoring.assess(spread(7)).score(), t)).isEqualTo(Level.SLOW_DOWN);
        assertThat(Level.of(scoring.assess(spread(12)).score(), t)).isEqualTo(Level.HOLD);
        assertThat(Level.of(scoring.assess(spread(16)).score(), t)).isEqualTo(Level.NOTIFY);
        assertThat(Level.of(scoring.assess(spread(19)).score(), t)).isEqualTo(Level.SUSPEND);
        assertThat(scoring.assess(spread(19)).describe())
                .isEqualTo("score 90: new_network=1 (+30), recipient_domains=19 (+60)");
    }

    private static Observations spread(int domains) {
        Traffic fromNew = new Traffic(5, 3 * domains, domains, 1, 5);
        return obs(1, 2, 0, new Traffic(6, 3 * domains + 1, domains + 1, 1, 6), fromNew);
    }

    @Test
    void heavyTrafficOnTheUsualNetworkIsCappedBelowTheSlowDown() {
        // a benchmark user: thousands of messages, unique subjects, many rejections, from its usual network
        Observations bench = new Observations(0, 1, 0, new Traffic(50_000, 50_000, 3, 1, 200), Traffic.NONE, 0, 0,
                40_000, 5_000, 0, 0, 0);
        Assessment a = new Scoring(DEFAULTS).assess(bench);
        assertThat(a.signals()).extracting(Signal::name)
                .contains("messages_vs_baseline", "recipients_vs_baseline", "subjects", "rejected_share");
        assertThat(a.score()).isEqualTo(DEFAULTS.weights().observeOnlyCap());
        assertThat(Level.of(a.score(), DEFAULTS.thresholds())).isEqualTo(Level.OBSERVE);
    }

    @Test
    void volumeCountsAgainstTheBaselineNotTheFloorWhenItIsHigher() {
        Scoring scoring = new Scoring(DEFAULTS);
        // 300 messages per hour is usual for this subscriber: nothing
        assertThat(scoring.assess(new Observations(0, 1, 0, new Traffic(300, 300, 1, 1, 1), Traffic.NONE, 300, 300,
                0, 0, 0, 0, 0)).score()).isZero();
        // three times the floor of 30 for a subscriber who sends little: two multiples above it
        Assessment a = scoring.assess(obs(0, 1, 0, new Traffic(90, 90, 1, 1, 1), Traffic.NONE));
        assertThat(a.values()).containsEntry("messages_vs_baseline", 3.0);
        assertThat(a.score()).isEqualTo(2 * DEFAULTS.weights().volume());
    }

    @Test
    void volumeCountsAgainstThePlan() {
        Scoring scoring = new Scoring(DEFAULTS);
        Traffic half = new Traffic(150, 150, 1, 1, 1);
        // 150 messages in an hour on a plan of 300 per hour: half the plan
        Assessment a = scoring.assess(new Observations(0, 1, 0, half, Traffic.NONE, 200, 200, 0, 0, 0, 0, 300));
        assertThat(a.values()).containsEntry("messages_vs_plan", 0.5);
        assertThat(a.score()).isEqualTo(DEFAULTS.weights().plan());
        Assessment full = scoring.assess(new Observations(0, 1, 0, new Traffic(290, 290, 1, 1, 1), Traffic.NONE, 200,
                200, 0, 0, 0, 0, 300));
        assertThat(full.score()).isEqualTo(2 * DEFAULTS.weights().plan());
        // plan unknown (no login seen since the automation runs): no signal
        assertThat(scoring.assess(new Observations(0, 1, 0, half, Traffic.NONE, 200, 200, 0, 0, 0, 0, 0)).score())
                .isZero();
    }

    @Test
    void credentialStuffingThatWorkedRaisesTheScore() {
        Assessment a = new Scoring(DEFAULTS).assess(obs(0, 1, 7, Traffic.NONE, Traffic.NONE));
        assertThat(a.values()).containsEntry("credential_stuffing", 7.0);
        assertThat(a.score()).isEqualTo(35);
        // from a new network that then sends to a few domains: held
        Assessment takeover = new Scoring(DEFAULTS).assess(obs(1, 2, 7, new Traffic(2, 5, 5, 1, 2),
                new Traffic(2, 5, 5, 1, 2)));
        assertThat(takeover.score()).isEqualTo(30 + 35 + 4);
        assertThat(Level.of(takeover.score(), DEFAULTS.thresholds())).isEqualTo(Level.HOLD);
    }

    @Test
    void severalNetworksInTheWindowAddUpOnceMailComesFromThem() {
        Traffic some = new Traffic(3, 6, 5, 1, 3);
        Assessment a = new Scoring(DEFAULTS).assess(obs(2, 4, 0, some, some));
        assertThat(a.values()).containsEntry("new_network", 2.0).containsEntry("networks", 4.0);
        assertThat(a.score()).isEqualTo(2 * 30 + 2 * 10 + 4);
    }

    @Test
    void rejectionShareNeedsEnoughOutcomes() {
        Scoring scoring = new Scoring(DEFAULTS);
        Traffic spread = new Traffic(5, 5, 5, 1, 1);
        assertThat(scoring.assess(new Observations(1, 2, 0, spread, spread, 5, 5, 1, 4, 0, 0, 0)).values())
                .doesNotContainKey("rejected_share");
        Assessment a = scoring.assess(new Observations(1, 2, 0, spread, spread, 5, 5, 5, 10, 3, 2, 0));
        assertThat(a.values()).containsEntry("rejected_share", 0.75);
        assertThat(a.score()).isEqualTo(30 + 4 + 23);
    }

    @Test
    void weightsAndThresholdsAreTunable() {
        AbuseConfig strict = config(Map.of("kanmon.queue.abuse.weights.observe-only-cap", "100",
                "kanmon.queue.abuse.thresholds.slow-down", "20"));
        Assessment a = new Scoring(strict).assess(obs(0, 1, 0, new Traffic(50_000, 50_000, 3, 1, 200), Traffic.NONE));
        assertThat(a.score()).isGreaterThan(35);
        assertThat(Level.of(a.score(), strict.thresholds())).isEqualTo(Level.SLOW_DOWN);
    }

    @Test
    void networksAreSlash24AndSlash48() {
        assertThat(ClientNetwork.of("192.0.2.77", 24, 48)).isEqualTo("192.0.2.0/24");
        assertThat(ClientNetwork.of("2001:db8:1:2::5", 24, 48)).isEqualTo("2001:db8:1:0:0:0:0:0/48");
        assertThat(ClientNetwork.of("not-an-address", 24, 48)).isNull();
    }

    @Test
    void messageFactsReadFromAndSubjectFromTheHeaderOnly() {
        byte[] msg = ("From: \"Jane Q\" <jane@example.test>\r\nSubject: hello\r\n there\r\nTo: x@dest.test\r\n\r\n"
                + "Subject: not this\r\n").getBytes();
        MessageFacts f = MessageFacts.of("jane", "192.0.2.1", java.util.List.of("dest.test", "DEST.test", "other.test"), msg);
        assertThat(f.fromName()).isEqualTo("Jane Q");
        assertThat(f.subject()).isEqualTo("hello there");
        assertThat(f.domains()).containsExactlyInAnyOrder("dest.test", "other.test");
        assertThat(f.recipients()).isEqualTo(3);
    }
}
