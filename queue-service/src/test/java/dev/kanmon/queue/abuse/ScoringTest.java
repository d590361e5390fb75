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

    private static Observations quiet() {
        return new Observations(0, 1, 0, 5, 5, 4, 4, 1, 1, 3, 5, 0, 0, 0);
    }

    @Test
    void normalHistoryScoresNothing() {
        Assessment a = new Scoring(DEFAULTS).assess(quiet());
        assertThat(a.score()).isZero();
        assertThat(a.signals()).isEmpty();
        assertThat(Level.of(a.score(), DEFAULTS.thresholds())).isEqualTo(Level.OBSERVE);
    }

    @Test
    void newNetworkAloneIsOnlyObserved() {
        Assessment a = new Scoring(DEFAULTS).assess(new Observations(1, 2, 0, 5, 5, 4, 4, 1, 1, 3, 5, 0, 0, 0));
        assertThat(a.score()).isEqualTo(30);
        assertThat(a.values()).containsEntry("new_network", 1.0);
        assertThat(Level.of(a.score(), DEFAULTS.thresholds())).isEqualTo(Level.OBSERVE);
    }

    @Test
    void newNetworkAndSpreadOverDomainsClimbTheLadder() {
        Scoring scoring = new Scoring(DEFAULTS);
        AbuseConfig.Thresholds t = DEFAULTS.thresholds();
        // 30 for the network, 4 per domain beyond 4
        assertThat(Level.of(scoring.assess(spread(6)).score(), t)).isEqualTo(Level.OBSERVE);
        assertThat(Level.of(scoring.assess(spread(7)).score(), t)).isEqualTo(Level.SLOW_DOWN);
        assertThat(Level.of(scoring.assess(spread(12)).score(), t)).isEqualTo(Level.HOLD);
        assertThat(Level.of(scoring.assess(spread(16)).score(), t)).isEqualTo(Level.NOTIFY);
        assertThat(Level.of(scoring.assess(spread(19)).score(), t)).isEqualTo(Level.SUSPEND);
        assertThat(scoring.assess(spread(19)).describe())
                .isEqualTo("score 90: new_network=1 (+30), recipient_domains=19 (+60)");
    }

    private static Observations spread(int domains) {
        return new Observations(1, 2, 0, 6, 3 * domains, 4, 4, domains, 1, 1, 0, 0, 0, 0);
    }

    @Test
    void heavyTrafficWithoutAnAccessSignalIsCappedBelowTheSlowDown() {
        // a benchmark user: thousands of messages, unique subjects, many rejections, from its usual network
        Observations bench = new Observations(0, 1, 0, 50_000, 50_000, 0, 0, 3, 1, 200, 40_000, 5_000, 0, 0);
        Assessment a = new Scoring(DEFAULTS).assess(bench);
        assertThat(a.signals()).extracting(Signal::name)
                .contains("messages_vs_baseline", "recipients_vs_baseline", "subjects", "rejected_share");
        assertThat(a.score()).isEqualTo(DEFAULTS.weights().trafficOnlyCap());
        assertThat(Level.of(a.score(), DEFAULTS.thresholds())).isEqualTo(Level.OBSERVE);
    }

    @Test
    void volumeCountsAgainstTheBaselineNotTheFloorWhenItIsHigher() {
        Scoring scoring = new Scoring(DEFAULTS);
        // 300 messages per hour is usual for this subscriber: nothing
        assertThat(scoring.assess(new Observations(0, 1, 0, 300, 300, 300, 300, 1, 1, 1, 0, 0, 0, 0)).score()).isZero();
        // three times the floor of 30 for a subscriber who sends little: two multiples above it
        Assessment a = scoring.assess(new Observations(0, 1, 0, 90, 90, 2, 2, 1, 1, 1, 0, 0, 0, 0));
        assertThat(a.values()).containsEntry("messages_vs_baseline", 3.0);
        assertThat(a.score()).isEqualTo(2 * DEFAULTS.weights().volume());
    }

    @Test
    void credentialStuffingThatWorkedRaisesTheScore() {
        Assessment a = new Scoring(DEFAULTS).assess(new Observations(0, 1, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThat(a.values()).containsEntry("credential_stuffing", 7.0);
        assertThat(a.score()).isEqualTo(35);
        // with a login from a new network as well, messages are held
        Assessment takeover = new Scoring(DEFAULTS).assess(new Observations(1, 2, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThat(Level.of(takeover.score(), DEFAULTS.thresholds())).isEqualTo(Level.HOLD);
    }

    @Test
    void severalNetworksInTheWindowAddUp() {
        Assessment a = new Scoring(DEFAULTS).assess(new Observations(2, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThat(a.values()).containsEntry("new_network", 2.0).containsEntry("networks", 4.0);
        assertThat(a.score()).isEqualTo(2 * 30 + 2 * 10);
    }

    @Test
    void rejectionShareNeedsEnoughOutcomes() {
        Scoring scoring = new Scoring(DEFAULTS);
        assertThat(scoring.assess(new Observations(1, 2, 0, 5, 5, 5, 5, 1, 1, 1, 1, 4, 0, 0)).values())
                .doesNotContainKey("rejected_share");
        Assessment a = scoring.assess(new Observations(1, 2, 0, 20, 20, 5, 5, 1, 1, 1, 5, 10, 3, 2));
        assertThat(a.values()).containsEntry("rejected_share", 0.75);
        assertThat(a.score()).isEqualTo(30 + 23);
    }

    @Test
    void weightsAndThresholdsAreTunable() {
        AbuseConfig strict = config(Map.of("kanmon.queue.abuse.weights.traffic-only-cap", "100",
                "kanmon.queue.abuse.thresholds.slow-down", "20"));
        Assessment a = new Scoring(strict).assess(new Observations(0, 1, 0, 50_000, 50_000, 0, 0, 3, 1, 200, 0, 0, 0, 0));
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
        MessageFacts f = MessageFacts.of("jane", java.util.List.of("dest.test", "DEST.test", "other.test"), msg);
        assertThat(f.fromName()).isEqualTo("Jane Q");
        assertThat(f.subject()).isEqualTo("hello there");
        assertThat(f.domains()).containsExactlyInAnyOrder("dest.test", "other.test");
        assertThat(f.recipients()).isEqualTo(3);
    }
}
