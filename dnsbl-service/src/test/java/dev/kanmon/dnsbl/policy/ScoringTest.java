package dev.kanmon.dnsbl.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kanmon.dnsbl.query.ClientAddress;
import dev.kanmon.dnsbl.query.ZoneAnswer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoringTest {

    private final Scoring scoring = new Scoring(List.of(
            Site.parse("bl.test=127.0.0.2-127.0.0.11*3"),
            Site.parse("pbl.test=127.0.0.[10;11]*1"),
            Site.parse("wl.test*-3")), 3, 1);
    private final ClientAddress client = ClientAddress.parse("192.0.2.9");

    private static ZoneAnswer listed(String code, String reason) {
        return new ZoneAnswer(List.of(code), reason, Duration.ofSeconds(60));
    }

    private static final ZoneAnswer NOT_LISTED = new ZoneAnswer(List.of(), null, Duration.ofSeconds(60));

    @Test
    void unlistedPasses() {
        CheckResult r = scoring.decide(client, Map.of("bl.test", NOT_LISTED, "pbl.test", NOT_LISTED,
                "wl.test", NOT_LISTED));
        assertThat(r.verdict()).isEqualTo(Verdict.PASS);
        assertThat(r.score()).isZero();
        assertThat(r.listings()).isEmpty();
        assertThat(r.reply()).isNull();
    }

    @Test
    void listedAtThresholdBlocksWithPostscreenReplyAndTxtReason() {
        CheckResult r = scoring.decide(client, Map.of("bl.test", listed("127.0.0.2", "Listed in test DNSBL")));
        assertThat(r.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(r.score()).isEqualTo(3);
        assertThat(r.listings()).containsExactly(new Listing("bl.test", "127.0.0.2", "Listed in test DNSBL"));
        assertThat(r.reply().render()).isEqualTo(
                "554 5.7.1 Service unavailable; client [192.0.2.9] blocked using bl.test; Listed in test DNSBL\r\n");
    }

    @Test
    void weightsAddUpAndReplyNamesTheHeaviestList() {
        CheckResult r = scoring.decide(client, Map.of(
                "pbl.test", listed("127.0.0.11", "Dynamic IP"),
                "bl.test", listed("127.0.0.2", "Listed")));
        assertThat(r.score()).isEqualTo(4);
        assertThat(r.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(r.reply().lines().get(0)).contains("blocked using bl.test; Listed");
    }

    @Test
    void belowThresholdFlags() {
        CheckResult r = scoring.decide(client, Map.of("pbl.test", listed("127.0.0.10", "Dynamic IP")));
        assertThat(r.verdict()).isEqualTo(Verdict.FLAG);
        assertThat(r.score()).isEqualTo(1);
        assertThat(r.reply()).isNull();
    }

    @Test
    void allowListCancelsListing() {
        CheckResult r = scoring.decide(client, Map.of(
                "bl.test", listed("127.0.0.2", "Listed"),
                "wl.test", listed("127.0.0.2", "Trusted")));
        assertThat(r.verdict()).isEqualTo(Verdict.PASS);
        assertThat(r.score()).isZero();
        assertThat(r.listings()).extracting(Listing::zone).containsExactly("bl.test", "wl.test");
    }

    @Test
    void codesOutsideTheFilterDoNotCount() {
        // 127.255.255.254 is Spamhaus' "query refused" error code; 127.0.0.20 is outside 127.0.0.2-127.0.0.11
        CheckResult refused = scoring.decide(client, Map.of("bl.test", listed("127.255.255.254", "Error")));
        CheckResult outside = scoring.decide(client, Map.of("bl.test", listed("127.0.0.20", "Info")));
        CheckResult pblCodeInPbl = scoring.decide(client, Map.of("pbl.test", listed("127.0.0.2", "x")));
        assertThat(refused.verdict()).isEqualTo(Verdict.PASS);
        assertThat(refused.listings()).isEmpty();
        assertThat(outside.verdict()).isEqualTo(Verdict.PASS);
        assertThat(pblCodeInPbl.listings()).isEmpty();
    }

    @Test
    void oneOfSeveralCodesMayMatch() {
        ZoneAnswer multi = new ZoneAnswer(List.of("127.0.0.20", "127.0.0.4"), "XBL", Duration.ofSeconds(60));
        CheckResult r = scoring.decide(client, Map.of("bl.test", multi));
        assertThat(r.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(r.listings().get(0).code()).isEqualTo("127.0.0.4");
    }

    @Test
    void zoneThatDidNotAnswerCountsAsNotListed() {
        CheckResult r = scoring.decide(client, Map.of());
        assertThat(r.verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void replyWithoutTxtReason() {
        CheckResult r = scoring.decide(client, Map.of("bl.test", listed("127.0.0.2", null)));
        assertThat(r.reply().lines()).containsExactly("Service unavailable; client [192.0.2.9] blocked using bl.test");
    }

    @Test
    void txtReasonCannotBreakTheReply() {
        String hostile = "evil\r\n250 2.0.0 Ok\u00e9" + "x".repeat(1000);
        String text = scoring.decide(client, Map.of("bl.test", listed("127.0.0.2", hostile))).reply().lines().get(0);
        assertThat(text).doesNotContain("\r").doesNotContain("\n").matches("[\\x20-\\x7e]+");
        assertThat(text.length()).isLessThan(400);
    }

    @Test
    void flagThresholdAboveBlockThresholdIsRefused() {
        assertThatThrownBy(() -> new Scoring(List.of(), 1, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
